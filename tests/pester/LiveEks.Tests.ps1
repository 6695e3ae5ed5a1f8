# A live scan of AWS and Kubernetes together, as an operator runs it: both loopback test servers as child
# processes. eks:DescribeCluster on the AWS server names the Kubernetes server's endpoint and CA; the module
# mints an EKS token from the AWS credentials (no aws CLI, no kubeconfig) and the Kubernetes server accepts it
# only after the AWS server validated it for this cluster, as the EKS authenticator does with STS.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module $env:EKSSECURITY_MODULE -Force

    $script:repo = $env:EKSSECURITY_REPO
    $script:key = 'AKIAINTEGSCANNER0001'
    $script:secret = 'integration/Scanner+Secret/EXAMPLE0000000001'
    $script:region = 'eu-west-1'

    function Find-ServerDll([string] $Name) {
        $dll = @('Release', 'Debug') | ForEach-Object { Join-Path $repo "tests/$Name/bin/$_/net10.0/$Name.dll" } |
            Where-Object { Test-Path $_ } | Select-Object -First 1
        if (-not $dll) { throw "$Name.dll is not built under tests/$Name/bin/<Release|Debug>/net10.0/: run 'dotnet build' on the solution first." }
        $dll
    }
    function Get-FreePort {
        $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $probe.Start(); $port = $probe.LocalEndpoint.Port; $probe.Stop(); $port
    }
    function Start-Server([string] $Dll, [string[]] $Arguments) {
        $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
        foreach ($a in @($Dll) + $Arguments) { $start.ArgumentList.Add($a) }
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $start.UseShellExecute = $false
        $process = [System.Diagnostics.Process]::Start($start)
        [pscustomobject]@{ Process = $process; Out = $process.StandardOutput.ReadToEndAsync(); Err = $process.StandardError.ReadToEndAsync() }
    }
    function Wait-Until([scriptblock] $Ready, $Server, [string] $What) {
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while (-not (& $Ready)) {
            if ($Server.Process.HasExited) { throw "$What exited ($($Server.Process.ExitCode)): $($Server.Err.Result) $($Server.Out.Result)" }
            if ([DateTime]::UtcNow -gt $deadline) { throw "$What did not start within 60 s." }
            Start-Sleep -Milliseconds 200
        }
    }

    $awsPort = Get-FreePort
    $script:url = "http://127.0.0.1:$awsPort"

    # The Kubernetes server first: the AWS scenario needs its endpoint and CA.
    $script:kubeconfig = Join-Path $TestDrive 'admin.kubeconfig'
    $script:kube = Start-Server (Find-ServerDll 'EksSecurity.KubeTestServer') @(
        '--snapshot', (Join-Path $repo 'examples/demo-cluster/snapshot.json'), '--metrics', '--quiet',
        '--port', "$(Get-FreePort)", '--kubeconfig', $kubeconfig,
        '--eks-token-validator', "$url/_test/validate-eks-token", '--eks-cluster', 'demo')
    Wait-Until { Test-Path $kubeconfig } $kube 'The Kubernetes test server'
    Start-Sleep -Milliseconds 200
    $kubeconfigText = Get-Content $kubeconfig -Raw
    $script:kubeEndpoint = [regex]::Match($kubeconfigText, 'server:\s*(\S+)').Groups[1].Value
    $caData = [regex]::Match($kubeconfigText, 'certificate-authority-data:\s*(\S+)').Groups[1].Value
    $kubeEndpoint | Should -Not -BeNullOrEmpty
    $caData | Should -Not -BeNullOrEmpty

    # The integration scenario, with the demo cluster's endpoint and CA pointing at that server.
    $scenarioText = Get-Content (Join-Path $repo 'tests/EksSecurity.AwsTestServer/scenarios/integration.json') -Raw
    $scenarioText = $scenarioText.Replace('https://D3M0D3M0D3M0D3M0D3M0.gr7.eu-west-1.eks.amazonaws.com', $kubeEndpoint.TrimEnd('/')).
        Replace('LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSURFWEFNUExFCi0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K', $caData)
    $scenario = Join-Path $TestDrive 'live-eks.json'
    Set-Content -Path $scenario -Value $scenarioText -NoNewline
    $script:aws = Start-Server (Find-ServerDll 'EksSecurity.AwsTestServer') @('--scenario', $scenario, '--port', "$awsPort")
    Wait-Until { try { (Invoke-RestMethod -Uri "$url/_test/health" -TimeoutSec 2) -eq 'ok' } catch { $false } } $aws 'The AWS test server'

    $script:savedEnvironment = @{}
    foreach ($name in 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'AWS_EC2_METADATA_DISABLED', 'KUBECONFIG') {
        $savedEnvironment[$name] = [Environment]::GetEnvironmentVariable($name)
    }
    $env:AWS_SHARED_CREDENTIALS_FILE = Join-Path $TestDrive 'no-such-credentials'
    $env:AWS_CONFIG_FILE = Join-Path $TestDrive 'no-such-config'
    $env:AWS_EC2_METADATA_DISABLED = 'true'
    # A KUBECONFIG in the developer's shell must not be what the scan uses: the EKS token path is under test.
    $env:KUBECONFIG = Join-Path $TestDrive 'no-such-kubeconfig'
    $script:aws_ = @{ EndpointUrl = $url; AccessKey = $key; SecretKey = $secret; Region = $region }
}

AfterAll {
    foreach ($name in $savedEnvironment.Keys) { [Environment]::SetEnvironmentVariable($name, $savedEnvironment[$name]) }
    foreach ($server in $kube, $aws) {
        if ($server -and -not $server.Process.HasExited) {
            $server.Process.Kill($true)
            $server.Process.WaitForExit(10000) | Out-Null
        }
    }
}

Describe 'Get-EksSecurityFinding -ClusterName with Kubernetes' {
    It 'scans both halves with an EKS token minted from the AWS credentials' {
        $findings = Get-EksSecurityFinding -ClusterName demo @aws_ -IncludePassed -ErrorAction Stop
        $findings | Should -Not -BeNullOrEmpty
        # Kubernetes rules judged live objects...
        $findings | Where-Object { $_.RuleId -like 'EKS-POD-*' -and $_.Status -eq 'Fail' } | Should -Not -BeNullOrEmpty
        $findings | Where-Object { $_.RuleId -eq 'EKS-IAM-012' -and $_.Status -in 'Fail', 'Pass' } | Should -Not -BeNullOrEmpty
        # ...and none of them errs for want of Kubernetes data (PodSecurityPolicy is gone since 1.25, by design).
        $notCollected = $findings | Where-Object { $_.Status -eq 'Error' -and $_.Message -like '*not collected*' -and $_.Message -notlike '*PodSecurityPolic*' }
        $notCollected | Should -BeNullOrEmpty
        $findings | Where-Object { $_.ClusterName -ne 'demo' } | Should -BeNullOrEmpty
    }

    It 'saves a live snapshot holding the Kubernetes half, never a token' {
        $path = Join-Path $TestDrive 'demo-live.json'
        Save-EksClusterSnapshot -ClusterName demo -Path $path @aws_ -ErrorAction Stop | Out-Null
        $text = Get-Content $path -Raw
        $text | Should -Not -BeLike '*k8s-aws-v1.*'
        $text | Should -Not -BeLike "*$secret*"
        $snapshot = $text | ConvertFrom-Json -Depth 100
        $snapshot.kubernetes.pods.status | Should -Be 'Collected'
        @($snapshot.kubernetes.pods.items).Count | Should -BeGreaterThan 0
    }

    It 'stops with KubernetesUnauthorized when the kubeconfig''s token is rejected' {
        $stale = Join-Path $TestDrive 'stale.kubeconfig'
        (Get-Content $kubeconfig -Raw) -replace 'token:\s*\S+', 'token: revoked-token-value' | Set-Content $stale
        $err = $null
        try { Get-EksSecurityFinding -ClusterName demo @aws_ -KubeConfigPath $stale -ErrorAction Stop | Out-Null } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'KubernetesUnauthorized,*'
        $err.CategoryInfo.Category | Should -Be 'PermissionDenied'
        "$($err.Exception)" | Should -Not -BeLike '*revoked-token-value*'
    }

    It 'stops with KubernetesConfigInvalid naming a kubeconfig that does not exist' {
        $missing = Join-Path $TestDrive 'missing.kubeconfig'
        { Get-EksSecurityFinding -ClusterName demo @aws_ -KubeConfigPath $missing -ErrorAction Stop } |
            Should -Throw -ErrorId 'KubernetesConfigInvalid,*' -ExpectedMessage "*$missing*"
    }

    It 'scans through a kubeconfig when one is given' {
        $findings = Get-EksSecurityFinding -ClusterName demo @aws_ -KubeConfigPath $kubeconfig -RuleId 'EKS-IAM-012' -IncludePassed -ErrorAction Stop
        $findings | Should -Not -BeNullOrEmpty
        $findings | Where-Object Status -eq 'Error' | Should -BeNullOrEmpty
    }
}
