#Requires -Version 7.4
<#
    Workload identity cmdlets: Test-EksIrsa, Test-EksPodIdentity, New-EksIrsaTrustPolicy and
    New-EksPodIdentityTrustPolicy, on snapshots made here from the demo cluster's: a namespace
    'ledger' of our own with service accounts, IAM roles whose trust policies come from the
    generators (the round trip the issue asks for), IAM's OIDC provider, a Pod Identity
    association and the eks-pod-identity-agent add-on. Nothing here calls AWS.
#>

BeforeAll {
    Import-Module $env:EKSSECURITY_MODULE -Force
    $script:demo = Join-Path $env:EKSSECURITY_REPO 'examples/demo-cluster/snapshot.json'
    $script:demoText = Get-Content -LiteralPath $demo -Raw
    $base = $demoText | ConvertFrom-Json
    $script:account = ($base.clusterArn -split ':')[4]
    $script:clusterArn = $base.clusterArn
    $script:issuer = $base.aws.cluster.value.identity.oidc.issuer
    $script:issuerHost = $issuer -replace '^https://', ''
    $script:providerArn = "arn:aws:iam::${account}:oidc-provider/$issuerHost"
    $script:roleArn = @{
        api     = "arn:aws:iam::${account}:role/ledger-api-irsa"
        worker  = "arn:aws:iam::${account}:role/ledger-worker-irsa"
        reports = "arn:aws:iam::${account}:role/ledger-reports-pod-identity"
    }

    # What a least-privilege application role may do: read one bucket.
    $script:readBucket = [ordered]@{
        Version   = '2012-10-17'
        Statement = @([ordered]@{ Effect = 'Allow'; Action = @('s3:GetObject', 's3:ListBucket'); Resource = @('arn:aws:s3:::ledger-data', 'arn:aws:s3:::ledger-data/*') })
    }

    function New-Role([string] $Arn, [string] $TrustJson) {
        [pscustomobject][ordered]@{
            Path                     = '/'
            RoleName                 = ($Arn -split '/')[-1]
            RoleId                   = 'AROATESTLEDGER' + ($Arn.Length)
            Arn                      = $Arn
            AssumeRolePolicyDocument = ($TrustJson | ConvertFrom-Json)
            MaxSessionDuration       = 3600
            Tags                     = @()
            AttachedPolicies         = @()
            InlinePolicies           = @([ordered]@{ PolicyName = 'read-ledger-data'; PolicyDocument = $readBucket })
        }
    }

    function New-ServiceAccount([string] $Name, [string] $RoleArn) {
        $metadata = [ordered]@{ name = $Name; namespace = 'ledger'; uid = [guid]::NewGuid().ToString() }
        if ($RoleArn) { $metadata.annotations = @{ 'eks.amazonaws.com/role-arn' = $RoleArn } }
        [pscustomobject][ordered]@{ apiVersion = 'v1'; kind = 'ServiceAccount'; metadata = [pscustomobject]$metadata }
    }

    <#
        The demo snapshot plus the namespace 'ledger': service accounts api (IRSA, trust from
        New-EksIrsaTrustPolicy), worker (IRSA, trust with StringLike on sub), plain (no annotation)
        and reports (Pod Identity, trust from New-EksPodIdentityTrustPolicy); IAM's OIDC provider
        for the cluster's issuer; the agent add-on. -Edit changes the document before it is saved.
    #>
    function New-WorkloadSnapshot([string] $Name, [scriptblock] $Edit) {
        $doc = $demoText | ConvertFrom-Json

        $doc.aws | Add-Member -Force -NotePropertyName oidcProviders -NotePropertyValue ([pscustomobject]@{
                status = 'collected'
                items  = @([pscustomobject]@{ Arn = $providerArn; Url = $issuerHost; ClientIDList = @('sts.amazonaws.com'); ThumbprintList = @('9e99a48a9960b14926bb7f3b02e22da2b0ab7280') })
            })

        $doc.kubernetes.namespaces.items += [pscustomobject]@{ apiVersion = 'v1'; kind = 'Namespace'; metadata = [pscustomobject]@{ name = 'ledger'; uid = [guid]::NewGuid().ToString() } }
        $doc.kubernetes.serviceAccounts.items += @(
            New-ServiceAccount api $roleArn.api
            New-ServiceAccount worker $roleArn.worker
            New-ServiceAccount plain
            New-ServiceAccount reports
        )

        $sloppy = New-EksIrsaTrustPolicy -OidcIssuer $issuer -AccountId $account -Namespace ledger -ServiceAccount worker | ConvertFrom-Json
        $condition = $sloppy.Statement[0].Condition
        $condition | Add-Member -NotePropertyName StringLike -NotePropertyValue ([pscustomobject]@{ "${issuerHost}:sub" = 'system:serviceaccount:ledger:*' })
        $condition.StringEquals.PSObject.Properties.Remove("${issuerHost}:sub")
        $doc.aws.iamRoles.items += @(
            New-Role $roleArn.api (New-EksIrsaTrustPolicy -OidcIssuer $issuer -AccountId $account -Namespace ledger -ServiceAccount api)
            New-Role $roleArn.worker ($sloppy | ConvertTo-Json -Depth 10)
            New-Role $roleArn.reports (New-EksPodIdentityTrustPolicy -ClusterArn $clusterArn)
        )

        $doc.aws.podIdentityAssociations = [pscustomobject]@{
            status = 'collected'
            items  = @([pscustomobject][ordered]@{
                    clusterName    = $doc.clusterName
                    namespace      = 'ledger'
                    serviceAccount = 'reports'
                    roleArn        = $roleArn.reports
                    associationArn = "arn:aws:eks:eu-west-1:${account}:podidentityassociation/$($doc.clusterName)/a-ledgerreports0001"
                    associationId  = 'a-ledgerreports0001'
                    tags           = @{}
                })
        }
        $doc.aws.addons.items = @($doc.aws.addons.items | Where-Object addonName -NE 'eks-pod-identity-agent') + [pscustomobject][ordered]@{
            addonName    = 'eks-pod-identity-agent'
            clusterName  = $doc.clusterName
            status       = 'ACTIVE'
            addonVersion = 'v1.3.4-eksbuild.1'
            health       = [pscustomobject]@{ issues = @() }
        }

        if ($Edit) { & $Edit $doc }
        $path = Join-Path $TestDrive "$Name.snapshot.json"
        $doc | ConvertTo-Json -Depth 64 | Set-Content -LiteralPath $path -Encoding utf8
        $path
    }

    $script:snapshot = New-WorkloadSnapshot 'ledger'

    function Get-Check($Result, [string] $Id) { $Result.Checks | Where-Object Id -EQ $Id }
}

Describe 'Test-EksIrsa -SnapshotPath' {
    It 'returns one result per annotated service account, each with its checks' {
        $results = Test-EksIrsa -SnapshotPath $snapshot -Namespace ledger
        $results | ForEach-Object { $_ | Should -BeOfType ([EksSecurity.WorkloadIdentityResult]) }
        ($results.ServiceAccount | Sort-Object) | Should -Be @('api', 'worker') -Because 'without names, only the service accounts that ask for a role are tested'
        $api = $results | Where-Object ServiceAccount -EQ api
        $api.Kind | Should -Be 'Irsa'
        $api.Namespace | Should -Be 'ledger'
        $api.RoleArn | Should -Be $roleArn.api
        $api.ClusterName | Should -Be 'demo-cluster'
        $api.AssociationId | Should -BeNullOrEmpty
        $api.Checks | Should -Not -BeNullOrEmpty
        $api.Checks | ForEach-Object { $_ | Should -BeOfType ([EksSecurity.WorkloadIdentityCheck]) }
        $api.Checks.Id | Should -Contain 'IrsaAnnotation'
        $api.Checks.Id | Should -Contain 'IrsaTrustSubjectScoped'
    }

    It 'passes a role whose trust policy New-EksIrsaTrustPolicy wrote (round trip)' {
        $api = Test-EksIrsa -SnapshotPath $snapshot -Namespace ledger -ServiceAccount api
        $api.Problems | Should -BeNullOrEmpty
        $api.Passed | Should -BeTrue
        foreach ($id in 'IrsaAnnotation', 'IrsaClusterIssuer', 'IrsaOidcProvider', 'IrsaRoleExists', 'IrsaTrustAllowsServiceAccount', 'IrsaTrustSubjectScoped', 'IrsaTrustAudience', 'IrsaTrustOtherIssuers') {
            (Get-Check $api $id).Status | Should -Be 'Pass' -Because "$id judges the generated trust policy"
        }
        # No boundary: a warning, which does not fail the test.
        (Get-Check $api 'WorkloadRolePermissions').Status | Should -Be 'Warning'
        (Get-Check $api 'IrsaPodsInjected').Status | Should -Be 'NotApplicable' -Because 'no pod runs as ledger/api'
        (Get-Check $api 'NodeRoleReachable').Status | Should -Be 'NotApplicable'
    }

    It '-Quiet returns exactly one [bool] (the Pester idiom)' {
        $answer = @(Test-EksIrsa -SnapshotPath $snapshot -Namespace ledger -ServiceAccount api -Quiet)
        $answer.Count | Should -Be 1
        $answer[0] | Should -BeOfType ([bool])
        $answer[0] | Should -BeTrue
        Test-EksIrsa -SnapshotPath $snapshot -Namespace ledger -ServiceAccount api -Quiet | Should -BeTrue
    }

    It 'a trust policy with StringLike on sub fails IrsaTrustSubjectScoped and -Quiet' {
        $worker = Test-EksIrsa -SnapshotPath $snapshot -Namespace ledger -ServiceAccount worker
        $worker.Passed | Should -BeFalse
        $scoped = Get-Check $worker 'IrsaTrustSubjectScoped'
        $scoped.Status | Should -Be 'Fail'
        $scoped.Message | Should -BeLike '*other service accounts*'
        ($scoped.Message + ($scoped.Evidence -join ' ')) | Should -BeLike '*system:serviceaccount:ledger:`**'
        $worker.Problems.Id | Should -Contain 'IrsaTrustSubjectScoped'
        # The wildcard still lets the service account itself in.
        (Get-Check $worker 'IrsaTrustAllowsServiceAccount').Status | Should -Be 'Pass'

        $answer = @(Test-EksIrsa -SnapshotPath $snapshot -Namespace ledger -ServiceAccount worker -Quiet)
        $answer.Count | Should -Be 1
        $answer[0] | Should -BeOfType ([bool])
        $answer[0] | Should -BeFalse
        # One sloppy role fails the namespace.
        Test-EksIrsa -SnapshotPath $snapshot -Namespace ledger -Quiet | Should -BeFalse
    }

    It 'reports a trust policy without an aud condition' {
        $path = New-WorkloadSnapshot 'no-aud' -Edit {
            param($doc)
            $role = $doc.aws.iamRoles.items | Where-Object Arn -EQ $roleArn.api
            $role.AssumeRolePolicyDocument.Statement[0].Condition.StringEquals.PSObject.Properties.Remove("${issuerHost}:aud")
        }
        $api = Test-EksIrsa -SnapshotPath $path -Namespace ledger -ServiceAccount api
        (Get-Check $api 'IrsaTrustAudience').Status | Should -Be 'Fail'
        (Get-Check $api 'IrsaTrustSubjectScoped').Status | Should -Be 'Pass'
        $api.Passed | Should -BeFalse
    }

    It 'fails IrsaOidcProvider when IAM has no provider for the issuer' {
        $path = New-WorkloadSnapshot 'no-provider' -Edit { param($doc) $doc.aws.oidcProviders.items = @() }
        $api = Test-EksIrsa -SnapshotPath $path -Namespace ledger -ServiceAccount api
        (Get-Check $api 'IrsaOidcProvider').Status | Should -Be 'Fail'
        $api.Passed | Should -BeFalse
    }

    It 'fails IrsaRoleExists when IAM answered NoSuchEntity' {
        $path = New-WorkloadSnapshot 'no-role' -Edit {
            param($doc)
            $role = $doc.aws.iamRoles.items | Where-Object Arn -EQ $roleArn.api
            $role | Add-Member -NotePropertyName NoSuchEntity -NotePropertyValue $true
        }
        $api = Test-EksIrsa -SnapshotPath $path -Namespace ledger -ServiceAccount api
        (Get-Check $api 'IrsaRoleExists').Status | Should -Be 'Fail'
        Get-Check $api 'IrsaTrustSubjectScoped' | Should -BeNullOrEmpty -Because 'a role that does not exist has no trust policy to judge'
    }

    Context 'selecting service accounts' {
        It '-ServiceAccount names a service account without the annotation: IrsaAnnotation fails' {
            $plain = Test-EksIrsa -SnapshotPath $snapshot -Namespace ledger -ServiceAccount plain
            $plain.ServiceAccount | Should -Be 'plain'
            $plain.RoleArn | Should -BeNullOrEmpty
            (Get-Check $plain 'IrsaAnnotation').Status | Should -Be 'Fail'
            Test-EksIrsa -SnapshotPath $snapshot -Namespace ledger -ServiceAccount plain -Quiet | Should -BeFalse
        }

        It 'a service account name that does not exist gives a failing result, not silence' {
            $missing = Test-EksIrsa -SnapshotPath $snapshot -Namespace ledger -ServiceAccount nosuch
            $missing.ServiceAccount | Should -Be 'nosuch'
            $missing.Namespace | Should -Be 'ledger'
            $missing.Passed | Should -BeFalse
            $missing.Checks[0].Message | Should -BeLike '*does not exist*'
        }

        It '-Namespace and -ServiceAccount take wildcards' {
            (Test-EksIrsa -SnapshotPath $snapshot -Namespace 'led*' -ServiceAccount 'w*').ServiceAccount | Should -Be 'worker'
            (Test-EksIrsa -SnapshotPath $snapshot -Namespace 'led*' -ServiceAccount '*').ServiceAccount | Sort-Object |
                Should -Be @('api', 'plain', 'reports', 'worker')
            Test-EksIrsa -SnapshotPath $snapshot -Namespace 'no-such-*' | Should -BeNullOrEmpty
        }

        It '-Namespace keeps results to those namespaces' {
            $all = Test-EksIrsa -SnapshotPath $snapshot
            ($all | Where-Object Namespace -EQ ledger).ServiceAccount | Sort-Object | Should -Be @('api', 'worker')
            $ledger = Test-EksIrsa -SnapshotPath $snapshot -Namespace ledger
            $ledger.Namespace | Sort-Object -Unique | Should -Be 'ledger'
            $two = Test-EksIrsa -SnapshotPath $snapshot -Namespace ledger, kube-system
            $two.Namespace | Should -Contain 'ledger'
            $two.Namespace | ForEach-Object { $_ | Should -BeIn @('ledger', 'kube-system') }
        }

        It 'a nothing-tested answer is $false under -Quiet' {
            Test-EksIrsa -SnapshotPath $snapshot -Namespace 'no-such-*' -Quiet | Should -BeFalse
        }

        It '-ServiceAccount without -Namespace reports no phantom result in the default namespace when the name exists elsewhere' {
            (Test-EksIrsa -SnapshotPath $snapshot -ServiceAccount api).Namespace | Should -Be 'ledger'
        }
    }

    Context 'service accounts from the pipeline' {
        BeforeAll {
            $script:list = [ordered]@{
                apiVersion = 'v1'
                kind       = 'List'
                items      = @(
                    New-ServiceAccount api $roleArn.api
                    New-ServiceAccount worker $roleArn.worker
                )
            } | ConvertTo-Json -Depth 10
        }

        It 'judges piped service accounts (kubectl get sa -o json | ConvertFrom-Json | % items)' {
            $results = $list | ConvertFrom-Json | ForEach-Object items | Test-EksIrsa -SnapshotPath $snapshot
            $results.ServiceAccount | Should -Be @('api', 'worker')
            ($results | Where-Object ServiceAccount -EQ api).Passed | Should -BeTrue
            ($results | Where-Object ServiceAccount -EQ worker).Passed | Should -BeFalse
        }

        It 'reads a whole List object too' {
            $results = $list | ConvertFrom-Json | Test-EksIrsa -SnapshotPath $snapshot
            $results.ServiceAccount | Should -Be @('api', 'worker')
        }

        It 'judges the piped objects, not the snapshot''s service accounts of the same name' {
            # The snapshot's ledger/api carries the annotation; the piped one does not.
            $results = New-ServiceAccount api | Test-EksIrsa -SnapshotPath $snapshot
            @($results).Count | Should -Be 1
            (Get-Check $results 'IrsaAnnotation').Status | Should -Be 'Fail'
        }

        It 'applies -ServiceAccount to piped objects' {
            $results = $list | ConvertFrom-Json | ForEach-Object items | Test-EksIrsa -SnapshotPath $snapshot -ServiceAccount api
            $results.ServiceAccount | Should -Be 'api'
        }

        It '-Quiet over piped service accounts returns one [bool]' {
            $answer = @(New-ServiceAccount api $roleArn.api | Test-EksIrsa -SnapshotPath $snapshot -Quiet)
            $answer.Count | Should -Be 1
            $answer[0] | Should -BeTrue
            @($list | ConvertFrom-Json | ForEach-Object items | Test-EksIrsa -SnapshotPath $snapshot -Quiet) | Should -Be @($false)
        }

        It 'an object that is not a service account is a non-terminating ServiceAccountInputInvalid error' {
            $configMap = [pscustomobject]@{ apiVersion = 'v1'; kind = 'ConfigMap'; metadata = [pscustomobject]@{ name = 'x'; namespace = 'ledger' } }
            $results = @((New-ServiceAccount api $roleArn.api), $configMap) | Test-EksIrsa -SnapshotPath $snapshot -ErrorVariable problems -ErrorAction SilentlyContinue
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'ServiceAccountInputInvalid,*'
            $problems[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $problems[0].Exception.Message | Should -BeLike '*ConfigMap*'
            # The batch of piped objects is judged together, so none of it is.
            $results | Should -BeNullOrEmpty
        }

        It 'an object without metadata.name is ServiceAccountInputInvalid; -ErrorAction Stop makes it terminating' {
            { [pscustomobject]@{ foo = 1 } | Test-EksIrsa -SnapshotPath $snapshot -ErrorAction Stop } |
                Should -Throw -ErrorId 'ServiceAccountInputInvalid*' -ExpectedMessage '*metadata.name*'
        }

        It 'under -Quiet a bad object writes the error and answers $false' {
            $answer = @([pscustomobject]@{ foo = 1 } | Test-EksIrsa -SnapshotPath $snapshot -Quiet -ErrorVariable problems -ErrorAction SilentlyContinue)
            $answer | Should -Be @($false)
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'ServiceAccountInputInvalid,*'
        }

        It 'a snapshot piped by property name is not taken for a service account' {
            $results = [pscustomobject]@{ SnapshotPath = $snapshot } | Test-EksIrsa -Namespace ledger -ServiceAccount api
            $results.Passed | Should -BeTrue
        }

        It 'a snapshot file piped from Get-Item binds -SnapshotPath' {
            $results = Get-Item $snapshot | Test-EksIrsa -Namespace ledger -ServiceAccount api
            @($results).Count | Should -Be 1
            $results.Passed | Should -BeTrue
        }
    }

    It 'reads a gzip-compressed snapshot' {
        $gz = Join-Path $TestDrive 'ledger.snapshot.json.gz'
        $in = [System.IO.File]::OpenRead($snapshot)
        $out = [System.IO.Compression.GZipStream]::new([System.IO.File]::Create($gz), [System.IO.Compression.CompressionLevel]::Fastest)
        try { $in.CopyTo($out) } finally { $out.Dispose(); $in.Dispose() }
        Test-EksIrsa -SnapshotPath $gz -Namespace ledger -ServiceAccount api -Quiet | Should -BeTrue
    }

    It 'a missing snapshot stops the command with SnapshotNotFound' {
        { Test-EksIrsa -SnapshotPath (Join-Path $TestDrive 'nope.json') } | Should -Throw -ErrorId 'SnapshotNotFound*'
    }

    It 'a snapshot without service accounts is a ServiceAccountsNotCollected error' {
        $path = New-WorkloadSnapshot 'no-sa' -Edit { param($doc) $doc.kubernetes.PSObject.Properties.Remove('serviceAccounts') }
        $answer = @(Test-EksIrsa -SnapshotPath $path -Quiet -ErrorVariable problems -ErrorAction SilentlyContinue)
        $answer | Should -Be @($false)
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'ServiceAccountsNotCollected,*'
    }
}

Describe 'Test-EksPodIdentity -SnapshotPath' {
    It 'passes an association whose role trust New-EksPodIdentityTrustPolicy wrote (round trip)' {
        $results = Test-EksPodIdentity -SnapshotPath $snapshot -Namespace ledger
        @($results).Count | Should -Be 1
        $reports = $results[0]
        $reports | Should -BeOfType ([EksSecurity.WorkloadIdentityResult])
        $reports.Kind | Should -Be 'PodIdentity'
        $reports.ServiceAccount | Should -Be 'reports'
        $reports.RoleArn | Should -Be $roleArn.reports
        $reports.AssociationId | Should -Be 'a-ledgerreports0001'
        $reports.Problems | Should -BeNullOrEmpty
        $reports.Passed | Should -BeTrue
        foreach ($id in 'PodIdentityAssociation', 'PodIdentityServiceAccount', 'PodIdentityAgent', 'PodIdentityNoIrsaConflict', 'PodIdentityRoleExists', 'PodIdentityTrust', 'PodIdentityTrustScoped', 'PodIdentitySessionTags') {
            (Get-Check $reports $id).Status | Should -Be 'Pass' -Because "$id judges the association and the generated trust policy"
        }
        $reports.Checks.Id | Should -Contain 'WorkloadRolePermissions'
        $reports.Checks.Id | Should -Contain 'NodeRoleReachable'
    }

    It '-Quiet returns one [bool]' {
        $answer = @(Test-EksPodIdentity -SnapshotPath $snapshot -Namespace ledger -Quiet)
        $answer.Count | Should -Be 1
        $answer[0] | Should -BeOfType ([bool])
        $answer[0] | Should -BeTrue
    }

    It 'fails PodIdentityAgent without the eks-pod-identity-agent add-on or DaemonSet' {
        $path = New-WorkloadSnapshot 'no-agent' -Edit {
            param($doc)
            $doc.aws.addons.items = @($doc.aws.addons.items | Where-Object addonName -NE 'eks-pod-identity-agent')
            $doc.kubernetes.daemonSets.items = @($doc.kubernetes.daemonSets.items | Where-Object { $_.metadata.name -ne 'eks-pod-identity-agent' })
        }
        $reports = Test-EksPodIdentity -SnapshotPath $path -Namespace ledger
        (Get-Check $reports 'PodIdentityAgent').Status | Should -Be 'Fail'
        Test-EksPodIdentity -SnapshotPath $path -Namespace ledger -Quiet | Should -BeFalse
    }

    It 'fails PodIdentityAgent when the add-on is degraded' {
        $path = New-WorkloadSnapshot 'degraded-agent' -Edit {
            param($doc)
            $agent = $doc.aws.addons.items | Where-Object addonName -EQ 'eks-pod-identity-agent'
            $agent.status = 'DEGRADED'
            $agent.health.issues = @([pscustomobject]@{ code = 'InsufficientNumberOfReplicas'; message = 'The add-on is unhealthy because it doesn''t have the desired number of replicas.' })
        }
        $check = Get-Check (Test-EksPodIdentity -SnapshotPath $path -Namespace ledger) 'PodIdentityAgent'
        $check.Status | Should -Be 'Fail'
        $check.Evidence -join ' ' | Should -BeLike '*InsufficientNumberOfReplicas*'
    }

    It 'fails PodIdentityTrust when the role does not allow sts:TagSession' {
        $path = New-WorkloadSnapshot 'no-tag-session' -Edit {
            param($doc)
            $role = $doc.aws.iamRoles.items | Where-Object Arn -EQ $roleArn.reports
            $role.AssumeRolePolicyDocument.Statement[0].Action = 'sts:AssumeRole'
        }
        $check = Get-Check (Test-EksPodIdentity -SnapshotPath $path -Namespace ledger) 'PodIdentityTrust'
        $check.Status | Should -Be 'Fail'
        $check.Message | Should -BeLike '*sts:TagSession*'
    }

    It 'warns (PodIdentityTrustScoped) about a trust policy without source conditions, and still passes' {
        $path = New-WorkloadSnapshot 'unscoped' -Edit {
            param($doc)
            $role = $doc.aws.iamRoles.items | Where-Object Arn -EQ $roleArn.reports
            $role.AssumeRolePolicyDocument.Statement[0].PSObject.Properties.Remove('Condition')
        }
        $reports = Test-EksPodIdentity -SnapshotPath $path -Namespace ledger
        (Get-Check $reports 'PodIdentityTrustScoped').Status | Should -Be 'Warning'
        $reports.Passed | Should -BeTrue
    }

    It 'fails PodIdentityNoIrsaConflict when the service account also has the IRSA annotation' {
        $path = New-WorkloadSnapshot 'conflict' -Edit {
            param($doc)
            $sa = $doc.kubernetes.serviceAccounts.items | Where-Object { $_.metadata.namespace -eq 'ledger' -and $_.metadata.name -eq 'reports' }
            $sa.metadata | Add-Member -NotePropertyName annotations -NotePropertyValue @{ 'eks.amazonaws.com/role-arn' = $roleArn.api }
        }
        (Get-Check (Test-EksPodIdentity -SnapshotPath $path -Namespace ledger) 'PodIdentityNoIrsaConflict').Status | Should -Be 'Fail'
    }

    It 'fails PodIdentityServiceAccount when the association points at a service account that does not exist' {
        $path = New-WorkloadSnapshot 'dangling' -Edit {
            param($doc)
            $doc.kubernetes.serviceAccounts.items = @($doc.kubernetes.serviceAccounts.items | Where-Object { $_.metadata.name -ne 'reports' -or $_.metadata.namespace -ne 'ledger' })
        }
        (Get-Check (Test-EksPodIdentity -SnapshotPath $path -Namespace ledger) 'PodIdentityServiceAccount').Status | Should -Be 'Fail'
    }

    It '-ServiceAccount naming a service account without an association fails PodIdentityAssociation' {
        $api = Test-EksPodIdentity -SnapshotPath $snapshot -Namespace ledger -ServiceAccount api
        $api.ServiceAccount | Should -Be 'api'
        $api.AssociationId | Should -BeNullOrEmpty
        (Get-Check $api 'PodIdentityAssociation').Status | Should -Be 'Fail'
        Test-EksPodIdentity -SnapshotPath $snapshot -Namespace ledger -ServiceAccount api -Quiet | Should -BeFalse
    }

    It 'judges piped service accounts by their associations' {
        $results = @((New-ServiceAccount reports), (New-ServiceAccount plain)) | Test-EksPodIdentity -SnapshotPath $snapshot
        ($results.ServiceAccount | Sort-Object) | Should -Be @('plain', 'reports')
        ($results | Where-Object ServiceAccount -EQ reports).Passed | Should -BeTrue
        ($results | Where-Object ServiceAccount -EQ plain).Passed | Should -BeFalse
    }

    It 'a snapshot whose associations were not collected is a ServiceAccountsNotCollected error' {
        $path = New-WorkloadSnapshot 'no-associations' -Edit { param($doc) $doc.aws.PSObject.Properties.Remove('podIdentityAssociations') }
        $answer = @(Test-EksPodIdentity -SnapshotPath $path -Quiet -ErrorVariable problems -ErrorAction SilentlyContinue)
        $answer | Should -Be @($false)
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'ServiceAccountsNotCollected,*'
    }
}

Describe 'New-EksIrsaTrustPolicy' {
    It 'writes valid JSON that pins sub and aud with StringEquals' {
        $json = New-EksIrsaTrustPolicy -OidcIssuer $issuer -AccountId $account -Namespace payments -ServiceAccount api
        $json | Should -BeOfType ([string])
        $policy = $json | ConvertFrom-Json -ErrorAction Stop
        $policy.Version | Should -Be '2012-10-17'
        @($policy.Statement).Count | Should -Be 1
        $statement = $policy.Statement[0]
        $statement.Effect | Should -Be 'Allow'
        $statement.Action | Should -Be 'sts:AssumeRoleWithWebIdentity'
        $statement.Principal.Federated | Should -Be $providerArn
        $statement.Condition.StringEquals."${issuerHost}:sub" | Should -Be 'system:serviceaccount:payments:api'
        $statement.Condition.StringEquals."${issuerHost}:aud" | Should -Be 'sts.amazonaws.com'
        @($statement.Condition.PSObject.Properties.Name) | Should -Be @('StringEquals') -Because 'never StringLike'
    }

    It 'lists several service accounts of the namespace as exact subjects' {
        $policy = New-EksIrsaTrustPolicy -OidcIssuer $issuerHost -AccountId $account -Namespace payments -ServiceAccount api, worker | ConvertFrom-Json
        $policy.Statement[0].Condition.StringEquals."${issuerHost}:sub" | Should -Be @('system:serviceaccount:payments:api', 'system:serviceaccount:payments:worker')
    }

    It 'derives the partition from the issuer''s region, or takes -Partition' {
        $cn = New-EksIrsaTrustPolicy -OidcIssuer https://oidc.eks.cn-north-1.amazonaws.com.cn/id/EXAMPLED539D4633E53DE1B71EXAMPLE -AccountId $account -Namespace payments -ServiceAccount api | ConvertFrom-Json
        $cn.Statement[0].Principal.Federated | Should -BeLike 'arn:aws-cn:iam::*'
        $gov = New-EksIrsaTrustPolicy -OidcIssuer $issuer -AccountId $account -Partition aws-us-gov -Namespace payments -ServiceAccount api | ConvertFrom-Json
        $gov.Statement[0].Principal.Federated | Should -BeLike 'arn:aws-us-gov:iam::*'
    }

    It 'takes its input from the pipeline by property name' {
        $requests = @(
            [pscustomobject]@{ OidcIssuer = $issuer; AccountId = $account; Namespace = 'payments'; ServiceAccount = 'api' }
            [pscustomobject]@{ OidcIssuer = $issuer; AccountId = $account; Namespace = 'batch'; ServiceAccount = 'runner' }
        )
        $policies = $requests | New-EksIrsaTrustPolicy
        $policies.Count | Should -Be 2
        ($policies[1] | ConvertFrom-Json).Statement[0].Condition.StringEquals."${issuerHost}:sub" | Should -Be 'system:serviceaccount:batch:runner'
    }

    It 'an invalid -AccountId is a TrustPolicyInputInvalid error naming -AccountId' {
        $out = New-EksIrsaTrustPolicy -OidcIssuer $issuer -AccountId 1234 -Namespace payments -ServiceAccount api -ErrorVariable problems -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'TrustPolicyInputInvalid,*'
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $problems[0].Exception.Message | Should -BeLike '-AccountId:*1234*'
        $problems[0].TargetObject | Should -Be 'AccountId'
        { New-EksIrsaTrustPolicy -OidcIssuer $issuer -AccountId 1234 -Namespace payments -ServiceAccount api -ErrorAction Stop } |
            Should -Throw -ErrorId 'TrustPolicyInputInvalid*' -ExpectedMessage '-AccountId*'
    }

    It 'refuses wildcards in -ServiceAccount and a non-https issuer' {
        { New-EksIrsaTrustPolicy -OidcIssuer $issuer -AccountId $account -Namespace payments -ServiceAccount 'api-*' -ErrorAction Stop } |
            Should -Throw -ErrorId 'TrustPolicyInputInvalid*' -ExpectedMessage '-ServiceAccount*'
        { New-EksIrsaTrustPolicy -OidcIssuer "http://$issuerHost" -AccountId $account -Namespace payments -ServiceAccount api -ErrorAction Stop } |
            Should -Throw -ErrorId 'TrustPolicyInputInvalid*' -ExpectedMessage '-OidcIssuer*'
    }

    It 'one bad request does not stop the others' {
        $requests = @(
            [pscustomobject]@{ OidcIssuer = $issuer; AccountId = 'nope'; Namespace = 'payments'; ServiceAccount = 'api' }
            [pscustomobject]@{ OidcIssuer = $issuer; AccountId = $account; Namespace = 'payments'; ServiceAccount = 'api' }
        )
        $policies = $requests | New-EksIrsaTrustPolicy -ErrorVariable problems -ErrorAction SilentlyContinue
        @($policies).Count | Should -Be 1
        $problems.Count | Should -Be 1
    }
}

Describe 'New-EksPodIdentityTrustPolicy' {
    BeforeAll {
        $script:arnA = "arn:aws:eks:eu-west-1:${account}:cluster/prod-a"
        $script:arnB = "arn:aws:eks:eu-west-1:${account}:cluster/prod-b"
    }

    It 'trusts pods.eks.amazonaws.com for sts:AssumeRole and sts:TagSession, scoped to the account and cluster' {
        $statement = (New-EksPodIdentityTrustPolicy -ClusterArn $arnA | ConvertFrom-Json).Statement[0]
        $statement.Principal.Service | Should -Be 'pods.eks.amazonaws.com'
        $statement.Action | Should -Be @('sts:AssumeRole', 'sts:TagSession')
        $statement.Condition.StringEquals.'aws:SourceAccount' | Should -Be $account
        $statement.Condition.ArnEquals.'aws:SourceArn' | Should -Be $arnA
    }

    It 'two cluster ARNs piped make one policy naming both in aws:SourceArn' {
        $policies = @(
            [pscustomobject]@{ Name = 'prod-a'; Arn = $arnA }
            [pscustomobject]@{ Name = 'prod-b'; Arn = $arnB }
        ) | New-EksPodIdentityTrustPolicy
        @($policies).Count | Should -Be 1
        ($policies | ConvertFrom-Json).Statement[0].Condition.ArnEquals.'aws:SourceArn' | Should -Be @($arnA, $arnB)
    }

    It 'takes several ARNs as an array too' {
        $policy = New-EksPodIdentityTrustPolicy -ClusterArn $arnA, $arnB | ConvertFrom-Json
        $policy.Statement[0].Condition.ArnEquals.'aws:SourceArn' | Should -Be @($arnA, $arnB)
    }

    It '-AccountId alone scopes to the account only' {
        $condition = (New-EksPodIdentityTrustPolicy -AccountId $account | ConvertFrom-Json).Statement[0].Condition
        $condition.StringEquals.'aws:SourceAccount' | Should -Be $account
        $condition.PSObject.Properties.Name | Should -Not -Contain 'ArnEquals'
    }

    It 'refuses clusters of two accounts with TrustPolicyInputInvalid naming -ClusterArn' {
        { New-EksPodIdentityTrustPolicy -ClusterArn $arnA, 'arn:aws:eks:eu-west-1:444455556666:cluster/other' } |
            Should -Throw -ErrorId 'TrustPolicyInputInvalid*' -ExpectedMessage '-ClusterArn*444455556666*'
    }

    It 'refuses a value that is not a cluster ARN' {
        { New-EksPodIdentityTrustPolicy -ClusterArn 'prod-a' } | Should -Throw -ErrorId 'TrustPolicyInputInvalid*' -ExpectedMessage '-ClusterArn*prod-a*'
        { New-EksPodIdentityTrustPolicy -ClusterArn "arn:aws:eks:eu-west-1:${account}:nodegroup/prod-a/ng" } | Should -Throw -ErrorId 'TrustPolicyInputInvalid*'
    }

    It 'refuses an invalid -AccountId' {
        { New-EksPodIdentityTrustPolicy -AccountId 12 } | Should -Throw -ErrorId 'TrustPolicyInputInvalid*' -ExpectedMessage '-AccountId*'
    }
}

Describe 'Formatting' {
    It 'has a table and a list view for WorkloadIdentityResult and a table for WorkloadIdentityCheck' {
        function Get-Control([string] $TypeName) {
            (Get-FormatData -TypeName $TypeName -PowerShellVersion $PSVersionTable.PSVersion).FormatViewDefinition | ForEach-Object { $_.Control.GetType().Name }
        }
        $result = Get-Control EksSecurity.WorkloadIdentityResult
        $result | Should -Contain 'TableControl'
        $result | Should -Contain 'ListControl'
        Get-Control EksSecurity.WorkloadIdentityCheck | Should -Contain 'TableControl'
    }

    It 'the table shows each result with the ids of its failing checks' {
        $text = Test-EksIrsa -SnapshotPath $snapshot -Namespace ledger | Format-Table | Out-String -Width 250
        $text | Should -Match 'Kind\s+Namespace\s+ServiceAccount\s+RoleArn\s+Passed\s+Failed'
        $text | Should -Match 'worker\s+.*ledger-worker-irsa\s+False\s+IrsaTrustSubjectScoped'
        $text | Should -Match 'api\s+.*ledger-api-irsa\s+True'
    }

    It 'the list shows every check' {
        $text = Test-EksIrsa -SnapshotPath $snapshot -Namespace ledger -ServiceAccount worker | Format-List | Out-String -Width 250
        $text | Should -Match 'RoleArn\s+: arn:aws:iam::\d+:role/ledger-worker-irsa'
        $text | Should -Match 'IrsaTrustSubjectScoped: Fail'
        $text | Should -Match 'IrsaAnnotation: Pass'
    }

    It 'the checks table shows Id, Status and Message' {
        $text = (Test-EksIrsa -SnapshotPath $snapshot -Namespace ledger -ServiceAccount worker).Checks | Format-Table | Out-String -Width 250
        $text | Should -Match 'Id\s+Status\s+Message'
        $text | Should -Match 'IrsaTrustSubjectScoped\s+Fail\s+The trust policy'
    }
}
