# The cmdlets against "live" AWS: the loopback AWS test server (tests/EksSecurity.AwsTestServer) started as
# a child process with the integration scenario (two clusters, demo and other, in eu-west-1). Covers
# collection to a snapshot file, live evaluation from the pipeline, AWS Tools' credential and region
# conventions, -Debug hygiene, the no-credentials error and -WhatIf.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module $env:EKSSECURITY_MODULE -Force

    $script:repo = $env:EKSSECURITY_REPO
    $script:scenario = Join-Path $repo 'tests/EksSecurity.AwsTestServer/scenarios/integration.json'
    $script:key = 'AKIAINTEGSCANNER0001'
    $script:secret = 'integration/Scanner+Secret/EXAMPLE0000000001'
    $script:region = 'eu-west-1'

    # build.ps1 Test runs `dotnet test` on the solution first, which builds the server.
    $dll = @('Release', 'Debug') | ForEach-Object { Join-Path $repo "tests/EksSecurity.AwsTestServer/bin/$_/net10.0/EksSecurity.AwsTestServer.dll" } |
        Where-Object { Test-Path $_ } | Select-Object -First 1
    if (-not $dll) { throw "EksSecurity.AwsTestServer.dll is not built under tests/EksSecurity.AwsTestServer/bin/<Release|Debug>/net10.0/: run 'dotnet build' on the solution first." }

    # A free loopback port, then the server on it.
    $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $probe.Start(); $port = $probe.LocalEndpoint.Port; $probe.Stop()
    $script:serverLog = Join-Path $TestDrive 'aws-test-server.out'
    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in @($dll, '--scenario', $scenario, '--port', "$port")) { $start.ArgumentList.Add($a) }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    $script:server = [System.Diagnostics.Process]::Start($start)
    $script:serverOut = $server.StandardOutput.ReadToEndAsync()
    $script:serverErr = $server.StandardError.ReadToEndAsync()
    $script:url = "http://127.0.0.1:$port"

    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while ($true) {
        if ($server.HasExited) { throw "The AWS test server exited ($($server.ExitCode)): $($serverErr.Result) $($serverOut.Result)" }
        try { if ((Invoke-RestMethod -Uri "$url/_test/health" -TimeoutSec 2) -eq 'ok') { break } } catch { }
        if ([DateTime]::UtcNow -gt $deadline) { throw "The AWS test server did not listen on $url within 60 s." }
        Start-Sleep -Milliseconds 200
    }

    function Clear-ServerLog { Invoke-RestMethod -Method Delete -Uri "$url/_test/log" | Out-Null }
    # One object per call (Invoke-RestMethod hands a JSON array down the pipeline as one object).
    function Get-ServerLog { $entries = Invoke-RestMethod -Uri "$url/_test/log"; foreach ($entry in $entries) { $entry } }

    # AWS settings a developer's shell may carry; each test sets what it needs and gets these back afterwards.
    $script:awsVariables = 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_DEFAULT_PROFILE',
        'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_EKS', 'AWS_ENDPOINT_URL_IAM', 'AWS_ENDPOINT_URL_STS',
        'AWS_ENDPOINT_URL_EC2', 'AWS_ENDPOINT_URL_KMS', 'AWS_ENDPOINT_URL_SSM', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE',
        'AWS_EC2_METADATA_DISABLED', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
        'AWS_CONTAINER_CREDENTIALS_FULL_URI'
    $script:savedEnvironment = @{}
    foreach ($name in $awsVariables) { $savedEnvironment[$name] = [Environment]::GetEnvironmentVariable($name) }

    # A clean AWS environment: no keys, no profile files, no instance metadata.
    function Reset-AwsEnvironment {
        foreach ($name in $awsVariables) { [Environment]::SetEnvironmentVariable($name, $null) }
        $env:AWS_SHARED_CREDENTIALS_FILE = Join-Path $TestDrive 'no-such-credentials'
        $env:AWS_CONFIG_FILE = Join-Path $TestDrive 'no-such-config'
        $env:AWS_EC2_METADATA_DISABLED = 'true'
        Remove-Variable -Name StoredAWSCredentials, StoredAWSRegion -Scope Global -ErrorAction SilentlyContinue
    }

    # The -Debug tests add -Verbose:$false: with -Debug alone, PowerShell turns every WriteVerbose of a compiled
    # cmdlet into an Inquire prompt, which a non-interactive host refuses.
    function Get-DebugText([object[]] $Records) {
        ($Records | Where-Object { $_ -is [System.Management.Automation.DebugRecord] } | ForEach-Object Message) -join "`n"
    }
}

AfterAll {
    foreach ($name in $awsVariables) { [Environment]::SetEnvironmentVariable($name, $savedEnvironment[$name]) }
    Remove-Variable -Name StoredAWSCredentials, StoredAWSRegion -Scope Global -ErrorAction SilentlyContinue
    if ($server -and -not $server.HasExited) {
        $server.Kill($true)
        $server.WaitForExit(10000) | Out-Null
    }
}

Describe 'Live AWS through the AWS test server' {
    BeforeEach {
        Reset-AwsEnvironment
        Clear-ServerLog
    }

    It 'Save-EksClusterSnapshot writes a .gz snapshot that Get-EksSecurityFinding -SnapshotPath evaluates' {
        $file = Save-EksClusterSnapshot -ClusterName demo -Path $TestDrive -EndpointUrl $url -AccessKey $key -SecretKey $secret -Region $region `
            -SkipKubernetes -WarningVariable warnings
        $file | Should -BeOfType ([System.IO.FileInfo])
        $file.Name | Should -Be 'demo.snapshot.json.gz'
        $file.Length | Should -BeGreaterThan 0
        $bytes = [System.IO.File]::ReadAllBytes($file.FullName)
        '{0:x2}{1:x2}' -f $bytes[0], $bytes[1] | Should -Be '1f8b'   # gzip
        $warnings | Should -BeNullOrEmpty                               # nothing denied or failed

        $findings = Get-EksSecurityFinding -SnapshotPath $file.FullName -RuleId 'EKS-NET-001', 'EKS-IAM-042', 'EKS-DATA-002' -IncludePassed
        ($findings | Where-Object RuleId -eq 'EKS-NET-001').Status | Should -Be 'Fail'
        ($findings | Where-Object RuleId -eq 'EKS-DATA-002').Status | Should -Be 'Fail'
        ($findings | Where-Object { $_.RuleId -eq 'EKS-IAM-042' -and $_.Status -eq 'Fail' }).Message | Should -BeLike '*user/bob*'
        $findings.ClusterName | Sort-Object -Unique | Should -Be 'demo'
        $findings.Region | Sort-Object -Unique | Should -Be $region

        $log = @(Get-ServerLog)
        $log.action | Should -Contain 'eks:DescribeCluster'
        $log.action | Should -Contain 'iam:GetRole'
        ($log | Where-Object { $_.status -ne 200 -and $_.errorCode -ne 'NoSuchEntity' }) | Should -BeNullOrEmpty
    }

    It 'evaluates cluster names from the pipeline by value' {
        $findings = 'demo', 'other' | Get-EksSecurityFinding -EndpointUrl $url -AccessKey $key -SecretKey $secret -Region $region -SkipKubernetes `
            -RuleId 'EKS-NET-*' -IncludePassed
        $findings.ClusterName | Sort-Object -Unique | Should -Be @('demo', 'other')
        $findings.RuleId | ForEach-Object { $_ | Should -BeLike 'EKS-NET-*' }
        ($findings | Where-Object { $_.ClusterName -eq 'demo' -and $_.RuleId -eq 'EKS-NET-001' }).Status | Should -Be 'Fail'
        ($findings | Where-Object { $_.ClusterName -eq 'other' -and $_.RuleId -eq 'EKS-NET-001' }).Status | Should -Be 'Pass'
        # Each scan describes its cluster, and the account's other clusters of the region for their OIDC issuers (EKS-IAM-035).
        (Get-ServerLog | Where-Object { $_.action -eq 'eks:DescribeCluster' }).resource | Sort-Object -Unique |
            Should -Be @('arn:aws:eks:eu-west-1:111122223333:cluster/demo', 'arn:aws:eks:eu-west-1:111122223333:cluster/other')
    }

    It 'binds a Get-EKSCluster-like object by its Name and Arn properties (the region from the ARN)' {
        $cluster = [pscustomobject]@{ Name = 'other'; Arn = 'arn:aws:eks:eu-west-1:111122223333:cluster/other'; Version = '1.32'; Status = 'ACTIVE' }
        $finding = $cluster | Get-EksSecurityFinding -EndpointUrl $url -AccessKey $key -SecretKey $secret -SkipKubernetes -RuleId 'EKS-NET-001' -IncludePassed
        $finding.ClusterName | Should -Be 'other'
        $finding.Region | Should -Be 'eu-west-1'
        $finding.Status | Should -Be 'Pass'
        (Get-ServerLog | Where-Object { $_.action -eq 'eks:DescribeCluster' }).signingRegion | Sort-Object -Unique | Should -Be 'eu-west-1'
    }

    It 'takes credentials and region from the AWS_* environment variables; -Debug names the source, never the secret' {
        $env:AWS_ACCESS_KEY_ID = $key
        $env:AWS_SECRET_ACCESS_KEY = $secret
        $env:AWS_REGION = $region
        $records = Get-EksSecurityFinding -ClusterName demo -EndpointUrl $url -SkipKubernetes -RuleId 'EKS-NET-001' -Debug -Verbose:$false 5>&1
        $finding = $records | Where-Object { $_ -is [EksSecurity.EksSecurityFinding] }
        $finding.Status | Should -Be 'Fail'
        $debug = Get-DebugText $records
        $debug | Should -BeLike '*credentials from the AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY environment variables*'
        $debug | Should -BeLike '*region eu-west-1 from the AWS_REGION environment variable*'
        $debug | Should -BeLike "*$key*"
        $debug | Should -Not -BeLike "*$secret*"
        (Get-ServerLog).accessKeyId | Sort-Object -Unique | Should -Be $key
    }

    It 'takes credentials and region from a profile file with -ProfileName and -ProfileLocation' {
        $profiles = Join-Path $TestDrive 'credentials'
        @"
[default]
aws_access_key_id = AKIANOTTHISONE000001
aws_secret_access_key = wrong

[scanner]
aws_access_key_id = $key
aws_secret_access_key = $secret
region = $region
"@ | Set-Content -Path $profiles
        $records = Get-EksSecurityFinding -ClusterName other -ProfileName scanner -ProfileLocation $profiles -EndpointUrl $url -SkipKubernetes `
            -RuleId 'EKS-NET-001' -IncludePassed -Debug -Verbose:$false 5>&1
        ($records | Where-Object { $_ -is [EksSecurity.EksSecurityFinding] }).Status | Should -Be 'Pass'
        $debug = Get-DebugText $records
        $debug | Should -BeLike "*credentials from profile 'scanner' in '$profiles'*"
        $debug | Should -BeLike '*region eu-west-1 from *'
        $debug | Should -Not -BeLike "*$secret*"
        (Get-ServerLog).accessKeyId | Sort-Object -Unique | Should -Be $key
    }

    It 'honours $StoredAWSRegion (Set-DefaultAWSRegion) over the environment' {
        $env:AWS_ACCESS_KEY_ID = $key
        $env:AWS_SECRET_ACCESS_KEY = $secret
        $env:AWS_REGION = 'us-west-2'      # the server would refuse a scope in this region
        $global:StoredAWSRegion = $region
        $records = Get-EksSecurityFinding -ClusterName demo -EndpointUrl $url -SkipKubernetes -RuleId 'EKS-NET-001' -Debug -Verbose:$false 5>&1
        ($records | Where-Object { $_ -is [EksSecurity.EksSecurityFinding] }).Region | Should -Be $region
        Get-DebugText $records | Should -BeLike '*region eu-west-1 from $StoredAWSRegion*'
        (Get-ServerLog | Where-Object { $_.service -eq 'eks' }).signingRegion | Sort-Object -Unique | Should -Be $region
    }

    It 'stops with AwsCredentialsNotFound, in AWS Tools'' words, when there are no credentials' {
        $err = $null
        try {
            Get-EksSecurityFinding -ClusterName demo -Region $region -EndpointUrl $url -SkipKubernetes -ErrorAction Stop | Out-Null
        } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'AwsCredentialsNotFound,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -Be 'No credentials specified or obtained from persisted/shell defaults.'
        { Save-EksClusterSnapshot -ClusterName demo -Path (Join-Path $TestDrive 'none.json.gz') -Region $region -EndpointUrl $url -SkipKubernetes } |
            Should -Throw -ErrorId 'AwsCredentialsNotFound,*'
        Get-ServerLog | Should -BeNullOrEmpty
    }

    It 'stops on a wrong secret key (AwsAuthenticationFailed) and on a missing cluster (ClusterNotFound), naming them' {
        $errors = foreach ($case in @(
                @{ Name = 'demo'; Secret = 'wrong/secret/EXAMPLE'; Id = 'AwsAuthenticationFailed'; Category = 'PermissionDenied'; Text = "*access key $key*eks:DescribeCluster: InvalidSignatureException*" },
                @{ Name = 'nope'; Secret = $secret; Id = 'ClusterNotFound'; Category = 'ObjectNotFound'; Text = "*No EKS cluster named 'nope' in eu-west-1*" })) {
            $err = $null
            try {
                Get-EksSecurityFinding -ClusterName $case.Name -EndpointUrl $url -AccessKey $key -SecretKey $case.Secret -Region $region -SkipKubernetes | Out-Null
            } catch { $err = $_ }
            $err | Should -Not -BeNullOrEmpty
            # The engine's error, with its id and a message that names the key and the call, never the secret.
            $engine = $err.Exception
            while ($engine -and $engine -isnot [EksSecurity.EksSecurityException]) { $engine = $engine.InnerException }
            $engine | Should -Not -BeNullOrEmpty
            $engine.ErrorId | Should -Be $case.Id
            $engine.Message | Should -BeLike $case.Text
            $engine.Message | Should -Not -BeLike '*wrong/secret*'
            [pscustomobject]@{ Record = $err; Case = $case }
        }
        (Get-ServerLog | Where-Object { $_.action -ne 'eks:DescribeCluster' }) | Should -BeNullOrEmpty   # nothing past the first call

        # The terminating error carries the engine's id and category (what scripts match with -ErrorId / catch).
        $errors[0].Record.Exception | Should -Not -BeOfType [System.AggregateException]
        foreach ($e in $errors) {
            $e.Record.FullyQualifiedErrorId | Should -BeLike "$($e.Case.Id),*"
            $e.Record.CategoryInfo.Category | Should -Be $e.Case.Category
        }
    }

    It 'Save-EksClusterSnapshot -WhatIf writes nothing and calls no AWS API' {
        $target = Join-Path $TestDrive 'whatif.snapshot.json.gz'
        $result = Save-EksClusterSnapshot -ClusterName demo -Path $target -EndpointUrl $url -AccessKey $key -SecretKey $secret -Region $region -SkipKubernetes -WhatIf
        $result | Should -BeNullOrEmpty
        Test-Path $target | Should -BeFalse
        Get-ServerLog | Should -BeNullOrEmpty
    }
}
