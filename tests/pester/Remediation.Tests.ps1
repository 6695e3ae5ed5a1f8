# The remediation cmdlets as an operator runs them: New-EksMetadataDenyPolicy, New-EksSecurityGroupPolicy and
# Set-EksPodSecurityLabel, against the loopback Kubernetes test server (a child process serving the demo cluster, reached
# through a kubeconfig), whose write log shows what was written and whether it was a dry run.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module $env:EKSSECURITY_MODULE -Force

    $script:repo = $env:EKSSECURITY_REPO
    $script:snapshotPath = Join-Path $repo 'examples/demo-cluster/snapshot.json'

    function Find-ServerDll {
        # EKSSECURITY_KUBE_TEST_SERVER names a build elsewhere (dotnet build --artifacts-path).
        $candidates = @($env:EKSSECURITY_KUBE_TEST_SERVER) + (@('Release', 'Debug') | ForEach-Object { Join-Path $repo "tests/EksSecurity.KubeTestServer/bin/$_/net10.0/EksSecurity.KubeTestServer.dll" })
        $dll = $candidates | Where-Object { $_ -and (Test-Path $_) } | Select-Object -First 1
        if (-not $dll) { throw "EksSecurity.KubeTestServer.dll is not built under tests/EksSecurity.KubeTestServer/bin/<Release|Debug>/net10.0/: run 'dotnet build' on the solution first." }
        $dll
    }
    function Get-FreePort {
        $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $probe.Start(); $port = $probe.LocalEndpoint.Port; $probe.Stop(); $port
    }

    $script:kubeconfig = Join-Path $TestDrive 'admin.kubeconfig'
    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in @((Find-ServerDll), '--snapshot', $snapshotPath, '--quiet', '--port', "$(Get-FreePort)", '--kubeconfig', $kubeconfig)) { $start.ArgumentList.Add($a) }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($start)
    $script:kube = [pscustomobject]@{ Process = $process; Out = $process.StandardOutput.ReadToEndAsync(); Err = $process.StandardError.ReadToEndAsync() }
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while (-not (Test-Path $kubeconfig)) {
        if ($kube.Process.HasExited) { throw "The Kubernetes test server exited ($($kube.Process.ExitCode)): $($kube.Err.Result) $($kube.Out.Result)" }
        if ([DateTime]::UtcNow -gt $deadline) { throw 'The Kubernetes test server did not start within 60 s.' }
        Start-Sleep -Milliseconds 200
    }
    Start-Sleep -Milliseconds 200
    $script:endpoint = [regex]::Match((Get-Content $kubeconfig -Raw), 'server:\s*(\S+)').Groups[1].Value.TrimEnd('/')
    $endpoint | Should -Not -BeNullOrEmpty

    # Every write the server received (its test endpoint needs no token; the CA is the server's own).
    function Get-Writes {
        # Invoke-RestMethod returns a JSON array as one object: enumerate it.
        $all = Invoke-RestMethod -Uri "$endpoint/_test/writes" -SkipCertificateCheck
        foreach ($write in $all) { if ($write) { $write } }
    }
    function Invoke-Kubectl {
        $output = & kubectl --kubeconfig $kubeconfig --cache-dir (Join-Path $TestDrive 'kubectl-cache') @args 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output | Out-String) }
    }

    $script:savedKubeconfig = $env:KUBECONFIG
    # A KUBECONFIG in the developer's shell must never be written to by these tests.
    $env:KUBECONFIG = Join-Path $TestDrive 'no-such-kubeconfig'
    $script:k = @{ KubeConfigPath = $kubeconfig }
}

AfterAll {
    $env:KUBECONFIG = $savedKubeconfig
    if ($kube -and -not $kube.Process.HasExited) {
        $kube.Process.Kill($true)
        $kube.Process.WaitForExit(10000) | Out-Null
    }
}

Describe 'New-EksMetadataDenyPolicy' {
    It '-WhatIf writes no file and sends no write to the cluster' {
        $file = Join-Path $TestDrive 'whatif.yaml'
        $result = New-EksMetadataDenyPolicy -Namespace frontend -OutFile $file -Apply @k -WhatIf
        $result | Should -BeNullOrEmpty
        $file | Should -Not -Exist
        Get-Writes | Should -BeNullOrEmpty -Because 'the server write log must be empty after -WhatIf'
    }

    It 'shows the policy as YAML and carries its JSON' {
        $policy = New-EksMetadataDenyPolicy -Namespace payments
        $policy | Should -BeOfType ([EksSecurity.KubernetesManifest])
        $policy.Kind | Should -Be 'NetworkPolicy'
        $policy.Name | Should -Be 'deny-instance-metadata'
        $shown = $policy | Out-String -Width 200
        $shown | Should -Match '(?m)^---$'
        $shown | Should -Match '(?m)^kind: NetworkPolicy$'
        $shown | Should -Match '(?m)^  namespace: payments$'
        $shown | Should -Match '(?m)^        - 169\.254\.169\.254/32$'
        "$policy" | Should -BeExactly $policy.Yaml
        $object = $policy.Json | ConvertFrom-Json
        $object.spec.egress[0].to[0].ipBlock.except | Should -Be '169.254.169.254/32'
        $object.spec.egress[0].to[1].PSObject.Properties.Name | Should -Be 'namespaceSelector'
        $object.spec.policyTypes | Should -Be 'Egress'
        # The object itself converts too, and Format-Table gives one line per policy.
        ($policy | ConvertTo-Json | ConvertFrom-Json).Kind | Should -Be 'NetworkPolicy'
        (New-EksMetadataDenyPolicy -Namespace a, b | Format-Table | Out-String) | Should -Match '(?m)^NetworkPolicy\s+b\s+deny-instance-metadata'
    }

    It 'adds the companion policy for -AllowPodSelector and the IPv6 address for -IPv6' {
        $policies = New-EksMetadataDenyPolicy -Namespace payments -AllowPodSelector @{ app = 'imds-agent' } -IPv6
        $policies.Name | Should -Be 'deny-instance-metadata', 'allow-instance-metadata'
        $policies[0].Yaml | Should -Match 'fd00:ec2::254/128'
        ($policies[1].Json | ConvertFrom-Json).spec.podSelector.matchLabels.app | Should -Be 'imds-agent'
    }

    It 'takes namespace names and namespace objects from the pipeline' {
        $kubectlJson = '{"items":[{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"from-kubectl"}},' +
                       '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-1","namespace":"pod-namespace"}}]}'
        $namespaces = @(
            'by-name'
            ($kubectlJson | ConvertFrom-Json).items
            [pscustomobject]@{ Name = 'by-name-property' }
            [pscustomobject]@{ Namespace = 'by-namespace-property'; Name = 'some-pod' }
            'by-name'
        )
        ($namespaces | New-EksMetadataDenyPolicy).Namespace |
            Should -Be 'by-name', 'from-kubectl', 'pod-namespace', 'by-name-property', 'by-namespace-property'
    }

    It '-OutFile writes one multi-document YAML file that kubectl accepts' {
        $file = Join-Path $TestDrive 'imds.yaml'
        $written = New-EksMetadataDenyPolicy -Namespace payments, frontend -AllowPodSelector @{ app = 'imds-agent' } -OutFile $file
        $written | Should -BeOfType ([System.IO.FileInfo])
        $written.FullName | Should -Be $file
        $text = Get-Content $file -Raw
        ([regex]::Matches($text, '(?m)^---$')).Count | Should -Be 4
        ([regex]::Matches($text, '(?m)^kind: NetworkPolicy$')).Count | Should -Be 4
        $before = @(Get-Writes).Count
        $client = Invoke-Kubectl apply --dry-run=client -f $file
        $client.ExitCode | Should -Be 0 -Because $client.Output
        $client.Output | Should -Match 'networkpolicy.networking.k8s.io/allow-instance-metadata created \(dry run\)'
        @(Get-Writes).Count | Should -Be $before
        # -PassThru also returns the objects.
        (New-EksMetadataDenyPolicy -Namespace x -OutFile (Join-Path $TestDrive 'x.yaml') -PassThru | Where-Object { $_ -is [EksSecurity.KubernetesManifest] }).Namespace | Should -Be 'x'
    }

    It '-Apply creates the policies, and a second -Apply changes nothing' {
        $first = New-EksMetadataDenyPolicy -Namespace frontend, default @k -Apply -Confirm:$false
        $first | Should -BeOfType ([EksSecurity.KubernetesApplyResult])
        $first.Action | Should -Be 'Created', 'Created'
        "$($first[0])" | Should -Be 'networkpolicy/frontend/deny-instance-metadata created'
        $writes = @(Get-Writes)
        $writes | Where-Object { $_.dryRun } | Should -BeNullOrEmpty
        ($writes | Where-Object { $_.name -eq 'deny-instance-metadata' }).verb | Should -Be 'create', 'create'
        $stored = Invoke-Kubectl get networkpolicy deny-instance-metadata -n frontend -o json
        $stored.ExitCode | Should -Be 0 -Because $stored.Output
        ($stored.Output | ConvertFrom-Json).spec.egress[0].to[0].ipBlock.except | Should -Be '169.254.169.254/32'

        $second = New-EksMetadataDenyPolicy -Namespace frontend, default @k -Apply
        $second.Action | Should -Be 'Unchanged', 'Unchanged'
        @(Get-Writes).Count | Should -Be $writes.Count
    }

    It '-AllNamespaces on the live cluster skips system namespaces and those already denying egress' {
        $policies = New-EksMetadataDenyPolicy -AllNamespaces @k -WarningVariable warnings -WarningAction SilentlyContinue
        # payments has default-deny-all: the deny policy would widen its egress, so it is skipped with a warning.
        $policies.Namespace | Should -Be 'batch', 'default', 'frontend', 'monitoring', 'monitoring-legacy'
        "$warnings" | Should -Match 'Namespace payments already isolates every pod for egress \(default-deny-all\)'
        $policies | Where-Object ClusterName -NE 'kube-test-server' | Should -BeNullOrEmpty -Because 'the kubeconfig context names the cluster'
    }

    It '-AllNamespaces from a snapshot, with -IncludeSystemNamespaces' {
        $policies = New-EksMetadataDenyPolicy -AllNamespaces -SnapshotPath $snapshotPath -IncludeSystemNamespaces -WarningAction SilentlyContinue
        $policies.Namespace | Should -Contain 'kube-system'
        $policies.Namespace | Should -Not -Contain 'payments'
        $policies[0].ClusterName | Should -Be 'demo-cluster'
    }

    It 'reports namespaces the cluster does not have' {
        $policies = New-EksMetadataDenyPolicy -Namespace frontend, no-such-namespace @k -ErrorVariable errors -ErrorAction SilentlyContinue
        $policies.Namespace | Should -Be 'frontend'
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'NamespaceNotFound,*'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It '-Apply without a cluster stops with KubernetesTargetMissing' {
        { New-EksMetadataDenyPolicy -Namespace frontend -Apply -ErrorAction Stop } | Should -Throw -ErrorId 'KubernetesTargetMissing,*'
    }

    It 'refuses a namespace name Kubernetes would refuse' {
        { New-EksMetadataDenyPolicy -Namespace 'Not_A_Namespace' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidNamespaceName,*'
    }
}

Describe 'New-EksSecurityGroupPolicy' {
    It 'shows SecurityGroupPolicy objects as YAML' {
        $policy = New-EksSecurityGroupPolicy -Namespace payments -Name payments-db -PodSelector @{ app = 'payments-db' } -SecurityGroupId sg-0123456789abcdef0, sg-12345678
        $policy.Kind | Should -Be 'SecurityGroupPolicy'
        $policy.ApiVersion | Should -Be 'vpcresources.k8s.aws/v1beta1'
        $shown = $policy | Out-String -Width 200
        $shown | Should -Match '(?m)^kind: SecurityGroupPolicy$'
        $shown | Should -Match '(?m)^    - sg-0123456789abcdef0$'
        ($policy.Json | ConvertFrom-Json).spec.securityGroups.groupIds | Should -Be 'sg-0123456789abcdef0', 'sg-12345678'
        $byAccount = New-EksSecurityGroupPolicy -Namespace payments -Name by-sa -ServiceAccountSelector @{ role = 'db-client' } -SecurityGroupId sg-12345678
        ($byAccount.Json | ConvertFrom-Json).spec.serviceAccountSelector.matchLabels.role | Should -Be 'db-client'
    }

    It 'refuses a bad security group id before doing anything' {
        { New-EksSecurityGroupPolicy -Namespace payments -Name x -PodSelector @{ app = 'x' } -SecurityGroupId 'sg-XYZ' -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,*' -ExpectedMessage "*'sg-XYZ' is not a security group id*"
        { New-EksSecurityGroupPolicy -Namespace payments -Name x -PodSelector @{ app = 'x' } -SecurityGroupId 'subnet-12345678' } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
        { New-EksSecurityGroupPolicy -Namespace payments -Name x -PodSelector @{ app = 'x' } -SecurityGroupId (1..6 | ForEach-Object { "sg-0000000$_" }) } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
    }

    It '-OutFile -WhatIf writes nothing; -Apply stores the custom resource once' {
        $file = Join-Path $TestDrive 'sgp.yaml'
        New-EksSecurityGroupPolicy -Namespace payments -Name payments-db -PodSelector @{ app = 'payments-api' } -SecurityGroupId sg-0123456789abcdef0 -OutFile $file -WhatIf
        $file | Should -Not -Exist
        $before = @(Get-Writes).Count
        $applied = New-EksSecurityGroupPolicy -Namespace payments -Name payments-db -PodSelector @{ app = 'payments-api' } -SecurityGroupId sg-0123456789abcdef0 @k -Apply
        $applied.Action | Should -Be 'Created'
        (Get-Writes | Select-Object -Last 1).resource | Should -Be 'securitygrouppolicies.vpcresources.k8s.aws'
        (New-EksSecurityGroupPolicy -Namespace payments -Name payments-db -PodSelector @{ app = 'payments-api' } -SecurityGroupId sg-0123456789abcdef0 @k -Apply).Action | Should -Be 'Unchanged'
        @(Get-Writes).Count | Should -Be ($before + 1)
    }
}

Describe 'Set-EksPodSecurityLabel' {
    It '-WhatIf reports the pods the new level would refuse and changes nothing' {
        $before = @(Get-Writes).Count
        $result = Set-EksPodSecurityLabel -Namespace monitoring-legacy -Level Restricted -Mode Enforce @k -WhatIf -WarningVariable warnings -WarningAction SilentlyContinue
        $result | Should -BeOfType ([EksSecurity.PodSecurityLabelResult])
        $result.Applied | Should -BeFalse
        $result.Changed | Should -BeTrue
        $result.Labels['pod-security.kubernetes.io/enforce'] | Should -Be 'restricted'
        $result.ViolatingPods | Should -Not -BeNullOrEmpty
        $result.ViolatingPods.Namespace | Sort-Object -Unique | Should -Be 'monitoring-legacy'
        "$($warnings[0])" | Should -Be 'existing pods in namespace "monitoring-legacy" violate the new PodSecurity enforce level "restricted:latest"'
        "$($warnings[1])" | Should -Match '^(kube-state-metrics|legacy-agent)-\S+( \(and \d+ other pods?\))?: '
        @(Get-Writes).Count | Should -Be $before
        (Invoke-Kubectl get namespace monitoring-legacy -o json).Output | ConvertFrom-Json |
            ForEach-Object { $_.metadata.labels.'pod-security.kubernetes.io/enforce' } | Should -Be 'privileged'
    }

    It 'labels the namespaces once, with the version, and warns about the pods' {
        $result = 'frontend' | Set-EksPodSecurityLabel -Level Baseline -Mode Enforce, Warn -Version v1.29 @k -Confirm:$false -WarningAction SilentlyContinue
        $result.Applied | Should -BeTrue
        $labels = ((Invoke-Kubectl get namespace frontend -o json).Output | ConvertFrom-Json).metadata.labels
        $labels.'pod-security.kubernetes.io/enforce' | Should -Be 'baseline'
        $labels.'pod-security.kubernetes.io/enforce-version' | Should -Be 'v1.29'
        $labels.'pod-security.kubernetes.io/warn' | Should -Be 'baseline'
        $labels.team | Should -Be 'web'
        $patch = Get-Writes | Select-Object -Last 1
        $patch.verb | Should -Be 'patch'
        $patch.dryRun | Should -BeFalse

        # The namespace object kubectl prints pipes in as well.
        $before = @(Get-Writes).Count
        $again = (Invoke-Kubectl get namespace frontend -o json).Output | ConvertFrom-Json |
            Set-EksPodSecurityLabel -Level Baseline -Mode Enforce, Warn -Version v1.29 @k -WarningAction SilentlyContinue
        $again.Namespace | Should -Be 'frontend'
        $again.Changed | Should -BeFalse
        $again.Applied | Should -BeFalse
        @(Get-Writes).Count | Should -Be $before
    }

    It 'needs a live cluster' {
        { Set-EksPodSecurityLabel -Namespace frontend -Level Baseline -Mode Enforce -ErrorAction Stop } | Should -Throw -ErrorId 'KubernetesTargetMissing,*'
    }
}

Describe 'ShouldProcess' {
    It '<_> supports -WhatIf and -Confirm at ConfirmImpact Medium' -ForEach 'New-EksMetadataDenyPolicy', 'New-EksSecurityGroupPolicy', 'Set-EksPodSecurityLabel' {
        $command = Get-Command $_
        $command.Parameters.Keys | Should -Contain 'WhatIf'
        $command.Parameters.Keys | Should -Contain 'Confirm'
        $attribute = $command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        $attribute.SupportsShouldProcess | Should -BeTrue
        $attribute.ConfirmImpact | Should -Be 'Medium'
    }

    It '-Confirm asks before each write' {
        $before = @(Get-Writes).Count
        $ps = [PowerShell]::Create()
        $null = $ps.AddScript({
            param($Module, $Kubeconfig)
            Import-Module $Module
            New-EksMetadataDenyPolicy -Namespace batch -KubeConfigPath $Kubeconfig -Apply -Confirm
        }).AddArgument($env:EKSSECURITY_MODULE).AddArgument($kubeconfig)
        # The runspace has no host to ask: the confirmation it attempted is the error, and nothing is written.
        $ps.Invoke() | Should -BeNullOrEmpty
        $ps.Streams.Error[0].FullyQualifiedErrorId | Should -BeLike 'HostFunctionNotImplemented,*'
        $ps.Streams.Error[0].Exception.Message | Should -BeLike '*request confirmation*"Create or update" on target "NetworkPolicy batch/deny-instance-metadata*'
        $ps.Dispose()
        @(Get-Writes).Count | Should -Be $before
    }
}
