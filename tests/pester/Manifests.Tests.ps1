#Requires -Version 7.4
<#
    Get-EksSecurityFinding -ManifestPath (rules on Kubernetes manifest files, findings that name
    file and line, no AWS rule) and exclusions (the built-in EKS system baseline,
    -NoDefaultExclusion, New-EksSecurityExclusion, Get-EksSecurityExclusion).
#>

BeforeAll {
    Import-Module $env:EKSSECURITY_MODULE -Force
    $script:demo = Join-Path $env:EKSSECURITY_REPO 'examples/demo-cluster/snapshot.json'

    function Write-Fixture([string] $RelativePath, [string] $Text) {
        $path = Join-Path $TestDrive $RelativePath
        $null = New-Item -ItemType Directory -Path (Split-Path $path -Parent) -Force
        [System.IO.File]::WriteAllText($path, ($Text -replace "`r`n", "`n"))
        (Resolve-Path -LiteralPath $path).ProviderPath
    }

    # The rules that read AWS data: they must not run on manifests.
    $script:awsRuleIds = @(Get-EksSecurityRule | Where-Object {
            @($_.Reads | Where-Object { [int]$_ -le [int][EksSecurity.SnapshotSection]::KmsKey }).Count -gt 0
        } | ForEach-Object Id)
}

Describe 'Get-EksSecurityFinding -ManifestPath' {
    BeforeAll {
        $script:manifests = Join-Path $TestDrive 'repo'
        # team-a (kind: on line 2) has no Pod Security labels, so EKS-POD-001 fails; team-b (kind: on line 7) is labelled.
        # Findings point at the line of the object's kind: field.
        $script:namespacesFile = Write-Fixture 'repo/namespaces.yaml' @'
apiVersion: v1
kind: Namespace
metadata:
  name: team-a
---
apiVersion: v1
kind: Namespace
metadata:
  name: team-b
  labels:
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/audit: restricted
    pod-security.kubernetes.io/warn: restricted
'@
        # After a comment and a blank line: the object's kind: is on line 4.
        $script:rbacFile = Write-Fixture 'repo/rbac/anonymous.yaml' @'
# Lets anyone read everything: EKS-IAM-007 fails.

apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: anonymous-view
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
- apiGroup: rbac.authorization.k8s.io
  kind: User
  name: system:anonymous
'@
        # A ConfigMap first, then a Deployment (kind: on line 10) with a privileged container (EKS-POD-004 fails).
        $script:appFile = Write-Fixture 'repo/apps/agent.yaml' @'
apiVersion: v1
kind: ConfigMap
metadata:
  name: agent-config
  namespace: team-a
data:
  level: debug
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: agent
  namespace: team-a
spec:
  selector:
    matchLabels:
      app: agent
  template:
    metadata:
      labels:
        app: agent
    spec:
      containers:
      - name: agent
        image: example.com/agent:1.0
        securityContext:
          privileged: true
'@
        $script:findings = @(Get-EksSecurityFinding -ManifestPath $manifests -IncludePassed -ErrorVariable scanErrors)
        $script:scanErrors = $scanErrors
    }

    It 'reads the folder without errors' {
        $scanErrors.Count | Should -Be 0
        $findings | Should -Not -BeNullOrEmpty
        $findings | ForEach-Object { $_ | Should -BeOfType ([EksSecurity.EksSecurityFinding]) }
    }

    It 'runs no rule that needs AWS data' {
        $awsRuleIds | Should -Contain 'EKS-NET-001' -Because 'the catalogue has AWS rules to leave out'
        @($findings.RuleId | Where-Object { $_ -in $awsRuleIds } | Sort-Object -Unique) | Should -BeNullOrEmpty
        $findings | Where-Object Status -EQ 'Error' | Should -BeNullOrEmpty -Because 'the Kubernetes sections of a manifest scan are complete, and no rule lacks its data'
    }

    It 'names the file and line of a failing namespace (EKS-POD-001)' {
        $f = @($findings | Where-Object { $_.RuleId -eq 'EKS-POD-001' -and $_.ResourceName -eq 'team-a' })
        $f.Count | Should -Be 1
        $f[0].Status | Should -Be ([EksSecurity.FindingStatus]::Fail)
        $f[0].ResourceType | Should -BeExactly 'Namespace'
        $f[0].SourcePath | Should -Be $namespacesFile
        $f[0].SourceLine | Should -Be 2
        "$($f[0])" | Should -BeLike "EKS-POD-001 Fail *Namespace/team-a ($namespacesFile`:2): *"
    }

    It 'names the line of the second document of a file' {
        $f = @($findings | Where-Object { $_.RuleId -eq 'EKS-POD-001' -and $_.ResourceName -eq 'team-b' })
        $f.Count | Should -Be 1
        $f[0].Status | Should -Be ([EksSecurity.FindingStatus]::Pass)
        $f[0].SourcePath | Should -Be $namespacesFile
        $f[0].SourceLine | Should -Be 7
    }

    It 'names the right line after comments and blank lines (EKS-IAM-007)' {
        $f = @($findings | Where-Object { $_.RuleId -eq 'EKS-IAM-007' -and $_.ResourceName -eq 'anonymous-view' })
        $f.Count | Should -Be 1
        $f[0].Status | Should -Be ([EksSecurity.FindingStatus]::Fail)
        $f[0].ResourceType | Should -BeExactly 'ClusterRoleBinding'
        $f[0].SourcePath | Should -Be $rbacFile
        $f[0].SourceLine | Should -Be 4
    }

    It 'judges workload templates in manifests (EKS-POD-004)' {
        if (-not (Get-EksSecurityRule -Id EKS-POD-004 -ErrorAction SilentlyContinue)) {
            Set-ItResult -Skipped -Because 'rule EKS-POD-004 is not in the catalogue yet'
            return
        }
        $f = @($findings | Where-Object { $_.RuleId -eq 'EKS-POD-004' })
        $f.Count | Should -Be 1
        $f[0].Status | Should -Be ([EksSecurity.FindingStatus]::Fail)
        $f[0].Resource | Should -BeExactly 'Deployment/team-a/agent'
        $f[0].SourcePath | Should -Be $appFile
        $f[0].SourceLine | Should -Be 10
    }

    It 'returns only the failures by default, each with its file' {
        $failing = @(Get-EksSecurityFinding -ManifestPath $manifests)
        $failing | Should -Not -BeNullOrEmpty
        @($failing.Status | Sort-Object -Unique | ForEach-Object ToString) | Should -Not -Contain 'Pass'
        $failing | ForEach-Object { $_.SourcePath | Should -BeIn @($namespacesFile, $rbacFile, $appFile) }
    }

    It 'honours -Include and -Exclude in folders' {
        $onlyRbac = @(Get-EksSecurityFinding -ManifestPath $manifests -Exclude namespaces.yaml, agent.yaml -IncludePassed)
        @($onlyRbac.SourcePath | Sort-Object -Unique) | Should -Be @($rbacFile)
        $none = @(Get-EksSecurityFinding -ManifestPath $manifests -Include *.json -RuleId EKS-POD-001, EKS-IAM-007 -IncludePassed)
        $none | Where-Object Status -NE 'NotApplicable' | Should -BeNullOrEmpty
    }

    It 'reports a broken file as a non-terminating error and still scans the rest' {
        $dir = Join-Path $TestDrive 'with-broken'
        $null = Write-Fixture 'with-broken/ok.yaml' "apiVersion: v1`nkind: Namespace`nmetadata:`n  name: ok-ns`n"
        $bad = Write-Fixture 'with-broken/bad.yaml' "apiVersion: v1`nkind: Namespace`nmetadata:`n  name: [unclosed`n"
        $f = @(Get-EksSecurityFinding -ManifestPath $dir -RuleId EKS-POD-001 -ErrorVariable errs -ErrorAction SilentlyContinue)
        @($f.ResourceName) | Should -Be @('ok-ns')
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'ManifestSyntaxError,*'
        $errs[0].TargetObject | Should -Be $bad
    }

    It 'takes manifest paths from the pipeline by the ManifestPath property' {
        $f = @([pscustomobject]@{ ManifestPath = $rbacFile } | Get-EksSecurityFinding -RuleId EKS-IAM-007)
        $f.Count | Should -Be 1
        $f[0].SourcePath | Should -Be $rbacFile
    }
}

Describe 'Exclusions' {
    Context 'Get-EksSecurityExclusion' {
        It 'lists the built-in EKS system exclusions, each with a reason' {
            $all = @(Get-EksSecurityExclusion)
            $all.Count | Should -BeGreaterOrEqual 2
            $all | ForEach-Object {
                $_ | Should -BeOfType ([EksSecurity.EksSecurityExclusion])
                $_.IsDefault | Should -BeTrue
                $_.Reason | Should -Not -BeNullOrEmpty
                $_.RuleId | Should -Not -BeNullOrEmpty
            }
            $awsNode = @($all | Where-Object { $_.Namespace -eq 'kube-system' -and $_.ResourceName -eq 'aws-node' })
            $awsNode.Count | Should -Be 1
            @($awsNode[0].ResourceType) | Should -Be @('DaemonSet')
            $awsNode[0].Reason | Should -BeLike '*VPC CNI*'
            @($all | Where-Object { $_.Namespace -eq 'kube-system' -and $_.ResourceName -eq 'kube-proxy' }).Count | Should -Be 1
        }

        It '-RuleId keeps the exclusions whose patterns match the id' {
            @(Get-EksSecurityExclusion -RuleId EKS-POD-004).Count | Should -Be @(Get-EksSecurityExclusion).Count
            Get-EksSecurityExclusion -RuleId EKS-NET-001 | Should -BeNullOrEmpty
            # Findings bind by their RuleId property.
            $finding = Get-EksSecurityFinding -SnapshotPath $demo -RuleId EKS-NET-001
            $finding | Get-EksSecurityExclusion | Should -BeNullOrEmpty
        }
    }

    Context 'New-EksSecurityExclusion' {
        It 'creates an exclusion with the defaults of any namespace, type and name' {
            $e = New-EksSecurityExclusion -RuleId EKS-NET-001 -Reason 'approved in RISK-1'
            $e | Should -BeOfType ([EksSecurity.EksSecurityExclusion])
            @($e.RuleId) | Should -Be @('EKS-NET-001')
            $e.Namespace | Should -BeExactly '*'
            $e.ResourceName | Should -BeExactly '*'
            $e.ResourceType | Should -BeNullOrEmpty
            $e.Reason | Should -BeExactly 'approved in RISK-1'
            $e.IsDefault | Should -BeFalse
        }

        It 'requires a reason' {
            { New-EksSecurityExclusion -RuleId EKS-NET-001 -Reason '' } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
            (Get-Command New-EksSecurityExclusion).Parameters['Reason'].Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] }).Mandatory | Should -Contain $true
        }
    }

    Context 'the EKS system baseline on the demo snapshot' {
        BeforeAll {
            $script:hasPod004 = [bool](Get-EksSecurityRule -Id EKS-POD-004 -ErrorAction SilentlyContinue)
        }

        It 'suppresses the findings on kube-system/aws-node, with the reason in Evidence' {
            if (-not $hasPod004) { Set-ItResult -Skipped -Because 'rule EKS-POD-004 is not in the catalogue yet'; return }
            $f = @(Get-EksSecurityFinding -SnapshotPath $demo -RuleId EKS-POD-004 -IncludePassed |
                    Where-Object { $_.Namespace -eq 'kube-system' -and $_.ResourceName -eq 'aws-node' })
            $f.Count | Should -Be 1
            $f[0].ResourceType | Should -BeExactly 'DaemonSet'
            $f[0].Status | Should -Be ([EksSecurity.FindingStatus]::Suppressed)
            @($f[0].Evidence)[-1] | Should -BeLike 'suppressed (Fail without it) by the default EKS system exclusion: Amazon VPC CNI*'
            # Hidden from the default output, shown by -Status Suppressed.
            Get-EksSecurityFinding -SnapshotPath $demo -RuleId EKS-POD-004 |
                Where-Object ResourceName -EQ 'aws-node' | Should -BeNullOrEmpty
            @(Get-EksSecurityFinding -SnapshotPath $demo -RuleId EKS-POD-004 -Status Suppressed).ResourceName | Should -Contain 'aws-node'
        }

        It '-NoDefaultExclusion reports them as Fail again' {
            if (-not $hasPod004) { Set-ItResult -Skipped -Because 'rule EKS-POD-004 is not in the catalogue yet'; return }
            $f = @(Get-EksSecurityFinding -SnapshotPath $demo -RuleId EKS-POD-004 -NoDefaultExclusion |
                    Where-Object { $_.Namespace -eq 'kube-system' -and $_.ResourceName -in 'aws-node', 'kube-proxy' })
            @($f.ResourceName | Sort-Object) | Should -Be @('aws-node', 'kube-proxy')
            $f | ForEach-Object {
                $_.Status | Should -Be ([EksSecurity.FindingStatus]::Fail)
                ($_.Evidence -join "`n") | Should -Not -BeLike '*suppressed*'
            }
            Get-EksSecurityFinding -SnapshotPath $demo -RuleId EKS-POD-004 -NoDefaultExclusion -Status Suppressed | Should -BeNullOrEmpty
        }

        It 'a custom exclusion suppresses the chosen finding with its reason' {
            $before = @(Get-EksSecurityFinding -SnapshotPath $demo -RuleId EKS-NET-001 -IncludePassed)
            $before.Count | Should -Be 1
            $before[0].Status | Should -Be ([EksSecurity.FindingStatus]::Fail)

            $e = New-EksSecurityExclusion -RuleId EKS-NET-001 -ResourceType Cluster -Reason 'Public endpoint approved in RISK-231'
            $after = @(Get-EksSecurityFinding -SnapshotPath $demo -RuleId EKS-NET-001 -Exclusion $e -IncludePassed)

            $after.Count | Should -Be 1
            $after[0].Status | Should -Be ([EksSecurity.FindingStatus]::Suppressed)
            @($after[0].Evidence)[-1] | Should -BeExactly 'suppressed (Fail without it) by an exclusion: Public endpoint approved in RISK-231'
            @($after[0].Evidence).Count | Should -Be (@($before[0].Evidence).Count + 1)
            Get-EksSecurityFinding -SnapshotPath $demo -RuleId EKS-NET-001 -Exclusion $e | Should -BeNullOrEmpty
            # With -NoDefaultExclusion the user's own exclusions still apply.
            (Get-EksSecurityFinding -SnapshotPath $demo -RuleId EKS-NET-001 -Exclusion $e -NoDefaultExclusion -IncludePassed).Status |
                Should -Be ([EksSecurity.FindingStatus]::Suppressed)
        }

        It 'suppresses only the resources it names' {
            $e = New-EksSecurityExclusion -RuleId EKS-TENANT-003 -Namespace default -ResourceType Pod -Reason 'legacy pod'
            $without = @(Get-EksSecurityFinding -SnapshotPath $demo -RuleId EKS-TENANT-003 -IncludePassed)
            $with = @(Get-EksSecurityFinding -SnapshotPath $demo -RuleId EKS-TENANT-003 -Exclusion $e -IncludePassed)
            $with.Count | Should -Be $without.Count
            @($with | Where-Object Status -EQ 'Suppressed').Resource | Should -Be @($without | Where-Object ResourceType -EQ 'Pod').Resource
            @($with | Where-Object Status -EQ 'Fail').Count | Should -Be (@($without | Where-Object Status -EQ 'Fail').Count - @($without | Where-Object ResourceType -EQ 'Pod').Count)
        }

        It 'never turns a finding into Pass' {
            $e = New-EksSecurityExclusion -RuleId 'EKS-*' -Reason 'everything, to see what changes'
            $without = @(Get-EksSecurityFinding -SnapshotPath $demo -IncludePassed -NoDefaultExclusion)
            $with = @(Get-EksSecurityFinding -SnapshotPath $demo -IncludePassed -NoDefaultExclusion -Exclusion $e)
            $with.Count | Should -Be $without.Count
            @($with | Where-Object Status -EQ 'Pass').Count | Should -Be @($without | Where-Object Status -EQ 'Pass').Count
            @($with | Where-Object Status -EQ 'Error').Count | Should -Be @($without | Where-Object Status -EQ 'Error').Count
            @($with | Where-Object Status -EQ 'NotApplicable').Count | Should -Be @($without | Where-Object Status -EQ 'NotApplicable').Count
            @($with | Where-Object Status -In 'Fail', 'Warning') | Should -BeNullOrEmpty
            @($with | Where-Object Status -EQ 'Suppressed').Count |
                Should -Be @($without | Where-Object Status -In 'Fail', 'Warning', 'Suppressed').Count
        }
    }
}
