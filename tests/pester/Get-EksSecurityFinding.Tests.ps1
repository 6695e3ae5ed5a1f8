BeforeAll {
    Import-Module $env:EKSSECURITY_MODULE -Force
    $script:demo = Join-Path $env:EKSSECURITY_REPO 'examples/demo-cluster/snapshot.json'

    # A small snapshot: public endpoint (EKS-NET-001 fails), everything else collected and empty.
    function New-TestSnapshot([string] $Path, [string] $Name = 'unit', [bool] $Public = $true, [int] $Schema = 1) {
        $doc = [ordered]@{
            schemaVersion = $Schema
            clusterName   = $Name
            clusterArn    = "arn:aws:eks:eu-west-1:111122223333:cluster/$Name"
            aws           = @{ cluster = @{ status = 'collected'; value = @{ name = $Name; version = '1.33'
                        resourcesVpcConfig = @{ endpointPublicAccess = $Public; endpointPrivateAccess = $true; publicAccessCidrs = @('0.0.0.0/0') } } } }
            kubernetes    = @{ namespaces = @{ status = 'collected'; items = @() } }
        }
        $doc | ConvertTo-Json -Depth 10 | Set-Content -Path $Path
        $Path
    }
}

Describe 'Get-EksSecurityFinding -SnapshotPath' {
    It 'reports the demo cluster''s problems, and only those by default' {
        $findings = Get-EksSecurityFinding -SnapshotPath $demo
        $findings | Should -Not -BeNullOrEmpty
        $findings | ForEach-Object { $_ | Should -BeOfType ([EksSecurity.EksSecurityFinding]) }
        ($findings.Status | Sort-Object -Unique) | Should -Not -Contain 'Pass'
        ($findings | Where-Object RuleId -eq 'EKS-NET-001').Status | Should -Be 'Fail'
        $findings[0].ClusterName | Should -Be 'demo-cluster'
        $findings[0].Region | Should -Be 'eu-west-1'
    }

    It '-IncludePassed adds the passing checks' {
        $all = Get-EksSecurityFinding -SnapshotPath $demo -IncludePassed
        $all.Status | Should -Contain 'Pass'
        $all.Count | Should -BeGreaterThan (Get-EksSecurityFinding -SnapshotPath $demo).Count
    }

    It '-Status selects exactly those statuses' {
        $pass = Get-EksSecurityFinding -SnapshotPath $demo -Status Pass
        $pass | Should -Not -BeNullOrEmpty
        ($pass.Status | Sort-Object -Unique) | Should -Be 'Pass'
    }

    It 'filters by -RuleId wildcards, -ExcludeRuleId and -Area' {
        $net = Get-EksSecurityFinding -SnapshotPath $demo -RuleId 'EKS-NET-*' -IncludePassed
        $net | Should -Not -BeNullOrEmpty
        $net.RuleId | ForEach-Object { $_ | Should -BeLike 'EKS-NET-*' }
        (Get-EksSecurityFinding -SnapshotPath $demo -RuleId 'EKS-NET-*' -ExcludeRuleId 'EKS-NET-001' -IncludePassed).RuleId | Should -Not -Contain 'EKS-NET-001'
        (Get-EksSecurityFinding -SnapshotPath $demo -Area Iam).Area | Sort-Object -Unique | Should -Be 'Iam'
    }

    It '-MinimumSeverity drops lower severities' {
        $high = Get-EksSecurityFinding -SnapshotPath $demo -MinimumSeverity High
        $high | Should -Not -BeNullOrEmpty
        $high | ForEach-Object { [int]$_.Severity | Should -BeGreaterOrEqual ([int][EksSecurity.Severity]::High) }
        # The documented interactive idiom works too.
        (Get-EksSecurityFinding -SnapshotPath $demo | Where-Object Severity -ge High).Count | Should -Be $high.Count
    }

    It 'stops on an unknown literal rule id (a typo must not pass a compliance check)' {
        { Get-EksSecurityFinding -SnapshotPath $demo -RuleId 'EKS-IAM-0O4' } | Should -Throw -ErrorId 'RuleNotFound*'
    }

    It 'stops when the selection matches no rule' {
        { Get-EksSecurityFinding -SnapshotPath $demo -RuleId 'EKS-NONE-*' } | Should -Throw -ErrorId 'NoRuleSelected*'
    }

    It 'takes files from the pipeline by property name (Get-ChildItem)' {
        $a = New-TestSnapshot (Join-Path $TestDrive 'a.json') -Name 'alpha'
        $b = New-TestSnapshot (Join-Path $TestDrive 'b.json') -Name 'beta'
        $findings = Get-Item $a, $b | Get-EksSecurityFinding -RuleId EKS-NET-001
        ($findings.ClusterName | Sort-Object) | Should -Be @('alpha', 'beta')
    }

    It 'is quiet for a compliant cluster (the Pester idiom)' {
        $path = New-TestSnapshot (Join-Path $TestDrive 'private.json') -Public $false
        Get-EksSecurityFinding -SnapshotPath $path -RuleId EKS-NET-001 | Should -BeNullOrEmpty
    }

    It 'reads gzip-compressed snapshots' {
        $plain = New-TestSnapshot (Join-Path $TestDrive 'plain.json')
        $gz = Join-Path $TestDrive 'plain.json.gz'
        $in = [IO.File]::OpenRead($plain); $out = [IO.File]::Create($gz)
        $zip = [IO.Compression.GZipStream]::new($out, [IO.Compression.CompressionMode]::Compress)
        $in.CopyTo($zip); $zip.Dispose(); $out.Dispose(); $in.Dispose()
        (Get-EksSecurityFinding -SnapshotPath $gz -RuleId EKS-NET-001).Status | Should -Be 'Fail'
    }

    It 'a missing section gives Error, never Pass' {
        $path = Join-Path $TestDrive 'denied.json'
        '{"schemaVersion":1,"clusterName":"d","aws":{"cluster":{"status":"denied","permission":"eks:DescribeCluster"}}}' | Set-Content $path
        $finding = Get-EksSecurityFinding -SnapshotPath $path -RuleId EKS-NET-001
        $finding.Status | Should -Be 'Error'
        $finding.Message | Should -Match 'eks:DescribeCluster'
    }

    It 'ToString names the rule, status, resource and message' {
        $finding = Get-EksSecurityFinding -SnapshotPath $demo -RuleId EKS-NET-001
        "$finding" | Should -Match 'EKS-NET-001 Fail \[Medium\] demo-cluster Cluster/demo-cluster: '
    }
}

Describe 'Bad snapshot files' {
    BeforeAll {
        $script:good = New-TestSnapshot (Join-Path $TestDrive 'good.json') -Name 'good'
        $script:corrupt = Join-Path $TestDrive 'corrupt.json'
        "{`n  `"schemaVersion`": 1,`n  `"clusterName`": `"x`",`n  `"aws`": { oops }`n}" | Set-Content $corrupt
        $script:truncated = Join-Path $TestDrive 'truncated.json'
        (Get-Content -Raw $good).Substring(0, 60) | Set-Content -NoNewline $truncated
        $script:newer = New-TestSnapshot (Join-Path $TestDrive 'newer.json') -Schema 99
        $script:truncatedGz = Join-Path $TestDrive 'truncated.json.gz'
        $ms = [IO.MemoryStream]::new(); $zip = [IO.Compression.GZipStream]::new($ms, [IO.Compression.CompressionMode]::Compress, $true)
        $bytes = [IO.File]::ReadAllBytes($good); $zip.Write($bytes, 0, $bytes.Length); $zip.Dispose()
        [IO.File]::WriteAllBytes($truncatedGz, $ms.ToArray()[0..([int]($ms.Length / 2))])
    }

    It 'stops on <Case> with error id <Id>, naming the file and the problem' -ForEach @(
        @{ Case = 'a corrupt file'; File = 'corrupt.json'; Id = 'SnapshotCorrupt'; Text = 'line 4' }
        @{ Case = 'a truncated file'; File = 'truncated.json'; Id = 'SnapshotCorrupt'; Text = 'truncated' }
        @{ Case = 'a truncated gzip file'; File = 'truncated.json.gz'; Id = 'SnapshotCorrupt'; Text = 'truncated.json.gz' }
        @{ Case = 'a newer schema'; File = 'newer.json'; Id = 'SnapshotSchemaTooNew'; Text = 'schema version 99' }
        @{ Case = 'a missing file'; File = 'missing.json'; Id = 'SnapshotNotFound'; Text = 'missing.json' }
    ) {
        $bad = Join-Path $TestDrive $File
        $problem = $null
        try { $null = Get-EksSecurityFinding -SnapshotPath $good, $bad -RuleId EKS-NET-001 -ErrorAction SilentlyContinue }
        catch { $problem = $_ }
        $problem | Should -Not -BeNullOrEmpty -Because 'an unreadable snapshot must never look like a clean scan'
        $problem.FullyQualifiedErrorId | Should -BeLike "$Id*"
        $problem.Exception.Message | Should -Match ([regex]::Escape($File))
        $problem.Exception.Message | Should -Match ([regex]::Escape($Text))
    }

    It 'a compliance check on an unreadable snapshot fails instead of passing' {
        { Get-EksSecurityFinding -SnapshotPath (Join-Path $TestDrive 'corrupt.json') | Should -BeNullOrEmpty } | Should -Throw -ErrorId 'SnapshotCorrupt*'
    }
}

Describe 'Get-EksSecurityRule' {
    It 'lists the catalogue ordered by id' {
        $rules = Get-EksSecurityRule
        $rules.Count | Should -BeGreaterThan 0
        $rules.Id | Should -Be ($rules.Id | Sort-Object)
        $rules | ForEach-Object { $_.Id | Should -Match '^EKS-[A-Z]+-\d{3}$' }
    }

    It 'filters by id wildcard, area and severity' {
        (Get-EksSecurityRule -Id 'eks-net-00*').Id | ForEach-Object { $_ | Should -BeLike 'EKS-NET-00*' }
        (Get-EksSecurityRule -Area Net).Area | Sort-Object -Unique | Should -Be 'Net'
        (Get-EksSecurityRule -Severity Medium).Severity | Sort-Object -Unique | Should -Be 'Medium'
        (Get-EksSecurityRule EKS-NET-001).Title | Should -Be 'API endpoint private, or public access justified'
    }

    It 'names an unknown id' {
        $null = Get-EksSecurityRule -Id EKS-NET-999 -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'RuleNotFound*'
    }
}

Describe 'Format views' {
    It 'shows findings as a table grouped by cluster' {
        $text = Get-EksSecurityFinding -SnapshotPath $demo | Format-Table | Out-String -Width 200
        $text | Should -Match 'Cluster: demo-cluster'
        $text | Should -Match 'Severity\s+RuleId\s+Status\s+Resource\s+Title'
    }

    It 'has a list view with the evidence' {
        $text = Get-EksSecurityFinding -SnapshotPath $demo -RuleId EKS-NET-001 | Format-List | Out-String -Width 200
        $text | Should -Match 'Evidence\s+: resourcesVpcConfig.endpointPublicAccess = true'
        $text | Should -Match 'Remediation'
    }

    It 'shows rules as a table' {
        Get-EksSecurityRule | Format-Table | Out-String | Should -Match 'Id\s+Severity\s+Area\s+Title'
    }
}
