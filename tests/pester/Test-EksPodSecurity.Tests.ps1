#Requires -Version 7.4
<#
    Test-EksPodSecurity: the Pod Security Standards as the admission controller applies them, on
    manifest files and folders, pipeline text and objects, and snapshots. Fixtures are written
    into $TestDrive; expectations follow the upstream checks (kubernetes/pod-security-admission).
#>

BeforeAll {
    Import-Module $env:EKSSECURITY_MODULE -Force

    # Writes text to a file under $TestDrive (LF line ends, so line numbers are exact) and returns its full path.
    function Write-Fixture([string] $RelativePath, [string] $Text) {
        $path = Join-Path $TestDrive $RelativePath
        $null = New-Item -ItemType Directory -Path (Split-Path $path -Parent) -Force
        [System.IO.File]::WriteAllText($path, ($Text -replace "`r`n", "`n"))
        (Resolve-Path -LiteralPath $path).ProviderPath
    }

    $script:privilegedPod = @'
apiVersion: v1
kind: Pod
metadata:
  name: priv
  namespace: apps
spec:
  containers:
  - name: app
    image: nginx:1.27
    securityContext:
      privileged: true
'@

    # Compliant with restricted at every version: non-root, no escalation, ALL dropped, RuntimeDefault.
    $script:restrictedDeployment = @'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: apps
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      securityContext:
        runAsNonRoot: true
        seccompProfile:
          type: RuntimeDefault
      containers:
      - name: web
        image: nginx:1.27
        securityContext:
          allowPrivilegeEscalation: false
          capabilities:
            drop: ["ALL"]
'@

    # Restricted as of v1.0-v1.7: runAsNonRoot only. v1.8 added allowPrivilegeEscalation=false,
    # v1.19 seccomp, v1.22 drop ALL.
    $script:oldRestrictedPod = @'
apiVersion: v1
kind: Pod
metadata:
  name: legacy
  namespace: apps
spec:
  securityContext:
    runAsNonRoot: true
  containers:
  - name: app
    image: nginx:1.27
'@

    # A pod with no security settings at all: baseline allows it, restricted does not.
    function Get-PlainPod([string] $Name, [string] $Namespace = 'apps') {
        @"
apiVersion: v1
kind: Pod
metadata:
  name: $Name
  namespace: $Namespace
spec:
  containers:
  - name: app
    image: nginx:1.27
"@
    }
}

Describe 'Test-EksPodSecurity verdicts' {
    It 'denies a privileged pod at baseline with the admission controller''s message' {
        $file = Write-Fixture 'verdict/priv.yaml' $privilegedPod
        $results = @(Test-EksPodSecurity -Path $file -Level Baseline)

        $results.Count | Should -Be 1
        $r = $results[0]
        $r | Should -BeOfType ([EksSecurity.PodSecurityResult])
        $r.Kind | Should -BeExactly 'Pod'
        $r.Namespace | Should -BeExactly 'apps'
        $r.Name | Should -BeExactly 'priv'
        $r.Allowed | Should -BeFalse
        $r.Level | Should -Be ([EksSecurity.PodSecurityLevel]::Baseline)
        $r.Version | Should -BeExactly 'latest'
        $r.LevelSource | Should -BeExactly 'parameter'
        @($r.Violations.CheckId) | Should -Be @('privileged')
        $r.Violations[0].Containers | Should -Be @('app')
        $r.Message | Should -BeExactly 'violates PodSecurity "baseline:latest": privileged (container "app" must not set securityContext.privileged=true)'
        $r.SourcePath | Should -Be $file
        # Results point at the object's kind: line.
        $r.SourceLine | Should -Be 2
        "$r" | Should -BeLike "Pod/apps/priv ($file`:2): violates PodSecurity*"
    }

    It 'allows the privileged pod at the privileged level' {
        $file = Write-Fixture 'verdict/priv.yaml' $privilegedPod
        $r = Test-EksPodSecurity -Path $file -Level Privileged
        $r.Allowed | Should -BeTrue
        $r.Violations | Should -BeNullOrEmpty
        $r.Message | Should -BeExactly 'allowed by PodSecurity "privileged:latest"'
    }

    It 'allows a compliant restricted Deployment (restricted is the default level)' {
        $file = Write-Fixture 'verdict/web.yaml' $restrictedDeployment
        $results = @(Test-EksPodSecurity -Path $file)
        $results.Count | Should -Be 1
        $results[0].Kind | Should -BeExactly 'Deployment'
        $results[0].Name | Should -BeExactly 'web'
        $results[0].Level | Should -Be ([EksSecurity.PodSecurityLevel]::Restricted)
        $results[0].Allowed | Should -BeTrue -Because "$($results[0])"
        $results[0].Violations | Should -BeNullOrEmpty
        $results[0].Message | Should -BeExactly 'allowed by PodSecurity "restricted:latest"'
    }

    It 'judges a Deployment by its pod template' {
        $bad = $restrictedDeployment -replace 'allowPrivilegeEscalation: false', 'allowPrivilegeEscalation: true'
        $file = Write-Fixture 'verdict/web-escalating.yaml' $bad
        $r = Test-EksPodSecurity -Path $file -Level Restricted
        $r.Allowed | Should -BeFalse
        @($r.Violations.CheckId) | Should -Be @('allowPrivilegeEscalation')
        $r.Message | Should -BeExactly 'violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "web" must set securityContext.allowPrivilegeEscalation=false)'
    }

    It 'applies the policy version: allowPrivilegeEscalation is required from restricted v1.8' {
        $file = Write-Fixture 'version/legacy.yaml' $oldRestrictedPod

        $v10 = Test-EksPodSecurity -Path $file -Level Restricted -Version v1.0
        $v17 = Test-EksPodSecurity -Path $file -Level Restricted -Version v1.7
        $v18 = Test-EksPodSecurity -Path $file -Level Restricted -Version v1.8
        $latest = Test-EksPodSecurity -Path $file -Level Restricted -Version latest

        $v10.Allowed | Should -BeTrue -Because "$v10"
        $v17.Allowed | Should -BeTrue -Because "$v17"
        $v17.Version | Should -BeExactly 'v1.7'
        $v18.Allowed | Should -BeFalse
        $v18.Version | Should -BeExactly 'v1.8'
        @($v18.Violations.CheckId) | Should -Be @('allowPrivilegeEscalation')
        $v18.Message | Should -BeLike 'violates PodSecurity "restricted:v1.8": allowPrivilegeEscalation != false (*'
        # latest adds the checks of v1.19 (seccomp) and v1.22 (capabilities), in upstream order.
        $latest.Allowed | Should -BeFalse
        @($latest.Violations.CheckId) | Should -Be @('allowPrivilegeEscalation', 'capabilities_restricted', 'seccompProfile_restricted')
    }

    It 'rejects a malformed -Version before reading anything' {
        $file = Write-Fixture 'version/legacy.yaml' $oldRestrictedPod
        { Test-EksPodSecurity -Path $file -Version 'v1.08' } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        { Test-EksPodSecurity -Path $file -Version '1.29' } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }
}

Describe 'Test-EksPodSecurity input' {
    It 'reports a syntax error in the middle of a multi-document file and still evaluates the documents around it' {
        $broken = @'
apiVersion: v1
kind: Pod
metadata:
  name: broken
spec:
  containers:
  - name: app
    image: nginx: 1.27
'@
        $text = (Get-PlainPod 'first'), $broken, (Get-PlainPod 'last') -join "`n---`n"
        $file = Write-Fixture 'syntax/three.yaml' $text
        # Where things are: the bad line has a second ': ' inside a plain scalar.
        $lines = $text -split "`n"
        $badLine = [array]::IndexOf($lines, '    image: nginx: 1.27') + 1
        $lastLine = [array]::LastIndexOf($lines, 'kind: Pod') + 1
        $badLine | Should -BeGreaterThan 10
        $lastLine | Should -BeGreaterThan $badLine

        $results = @(Test-EksPodSecurity -Path $file -Level Baseline -ErrorVariable errs -ErrorAction SilentlyContinue)

        # The good documents on both sides of the broken one are still judged.
        @($results.Name) | Should -Be @('first', 'last')
        $results | ForEach-Object { $_.Allowed | Should -BeTrue }
        ($results | Where-Object Name -EQ 'first').SourceLine | Should -Be 2
        ($results | Where-Object Name -EQ 'last').SourceLine | Should -Be $lastLine
        # One non-terminating error, with a stable id, naming the file and the line.
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'ManifestSyntaxError,*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $errs[0].TargetObject | Should -Be $file
        "$errs" | Should -BeLike "*$file`:$badLine*"
    }

    It 'returns exactly one [bool] with -Quiet: <Case>' -ForEach @(
        @{ Case = 'clean input is $true'; Text = $null; Expected = $true; Errors = 0 }
        @{ Case = 'a denied pod is $false'; Text = 'priv'; Expected = $false; Errors = 0 }
        @{ Case = 'a broken file is $false'; Text = 'broken'; Expected = $false; Errors = 1 }
    ) {
        $dir = Join-Path $TestDrive "quiet-$Text"
        $null = Write-Fixture "quiet-$Text/web.yaml" $restrictedDeployment
        if ($Text -eq 'priv') { $null = Write-Fixture "quiet-$Text/priv.yaml" $privilegedPod }
        if ($Text -eq 'broken') { $null = Write-Fixture "quiet-$Text/broken.yaml" "apiVersion: v1`nkind: Pod`nmetadata: {name: [oops`n" }

        $out = @(Test-EksPodSecurity -Path $dir -Level Baseline -Quiet -ErrorVariable errs -ErrorAction SilentlyContinue)

        $out.Count | Should -Be 1
        $out[0] | Should -BeOfType ([bool])
        $out[0] | Should -Be $Expected
        $errs.Count | Should -Be $Errors
    }

    It '-Quiet is $false when a path does not exist (a typo must not pass a gate)' {
        $good = Write-Fixture 'quiet-missing/web.yaml' $restrictedDeployment
        $out = @(Test-EksPodSecurity -Path $good, (Join-Path $TestDrive 'quiet-missing/typo.yaml') -Quiet -ErrorVariable errs -ErrorAction SilentlyContinue)
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'ManifestNotFound,*'
        $out.Count | Should -Be 1
        $out[0] | Should -BeFalse -Because 'an input that could not be read cannot be vouched for'
    }

    It '-Quiet is $true when the input holds no pod or workload' {
        $file = Write-Fixture 'quiet-empty/cm.yaml' "apiVersion: v1`nkind: ConfigMap`nmetadata:`n  name: settings`ndata:`n  a: b`n"
        $out = @(Test-EksPodSecurity -Path $file -Quiet)
        $out.Count | Should -Be 1
        $out[0] | Should -BeTrue
    }

    It 'reads text piped line by line, as helm template writes it' {
        $yaml = @(
            '# Source: chart/templates/pods.yaml'
            (Get-PlainPod 'one')
            '---'
            $privilegedPod
        ) -join "`n"
        $lines = $yaml -split "`n"
        $lines.Count | Should -BeGreaterThan 10

        $results = @($lines | Test-EksPodSecurity -Level Baseline)

        @($results.Name) | Should -Be @('one', 'priv')
        @($results.Allowed) | Should -Be @($true, $false)
    }

    It 'reads each piped string that holds line breaks as a stream of its own' {
        $results = @((Get-PlainPod 'alpha'), $privilegedPod | Test-EksPodSecurity -Level Baseline)
        @($results.Name) | Should -Be @('alpha', 'priv')
        @($results.Allowed) | Should -Be @($true, $false)
    }

    It 'reads hashtables piped to it as Kubernetes objects' {
        $pod = @{
            apiVersion = 'v1'; kind = 'Pod'
            metadata   = @{ name = 'debug'; namespace = 'default' }
            spec       = @{ hostNetwork = $true; containers = @(@{ name = 'shell'; image = 'busybox' }) }
        }
        $r = $pod | Test-EksPodSecurity -Level Baseline
        $r.Name | Should -BeExactly 'debug'
        $r.Allowed | Should -BeFalse
        @($r.Violations.CheckId) | Should -Be @('hostNamespaces')
        $r.Message | Should -BeExactly 'violates PodSecurity "baseline:latest": host namespaces (hostNetwork=true)'

    }

    It 'reads objects from ConvertFrom-Json piped to it' {
        $fromJson = '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"j","namespace":"apps"},"spec":{"containers":[{"name":"c","image":"x","securityContext":{"privileged":true}}]}}' | ConvertFrom-Json
        $r = @($fromJson | Test-EksPodSecurity -Level Baseline -ErrorVariable errs -ErrorAction SilentlyContinue)
        $errs | Should -BeNullOrEmpty
        $r.Count | Should -Be 1
        $r[0].Name | Should -BeExactly 'j'
        @($r[0].Violations.CheckId) | Should -Be @('privileged')
    }

    It 'takes files from the pipeline by property name (Get-Item)' {
        $a = Write-Fixture 'byprop/a.yaml' $privilegedPod
        $b = Write-Fixture 'byprop/b.yaml' $restrictedDeployment
        $results = @(Get-Item $a, $b | Test-EksPodSecurity -Level Baseline)
        @($results.Name) | Should -Be @('priv', 'web')
        @($results.SourcePath) | Should -Be @($a, $b)
    }

    Context 'a folder with -Include and -Exclude' {
        BeforeAll {
            $script:tree = Join-Path $TestDrive 'tree'
            $null = Write-Fixture 'tree/a.yaml' (Get-PlainPod 'a')
            $null = Write-Fixture 'tree/b.yml' (Get-PlainPod 'b')
            $null = Write-Fixture 'tree/c.json' '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"c","namespace":"apps"},"spec":{"containers":[{"name":"app","image":"nginx"}]}}'
            $null = Write-Fixture 'tree/skip-me.yaml' (Get-PlainPod 'skip-me')
            $null = Write-Fixture 'tree/notes.txt' (Get-PlainPod 'notes')
            $null = Write-Fixture 'tree/sub/d.yaml' (Get-PlainPod 'd')
        }

        It 'reads *.yaml, *.yml and *.json recursively by default' {
            $names = @(Test-EksPodSecurity -Path $tree -Level Baseline).Name | Sort-Object
            $names | Should -Be @('a', 'b', 'c', 'd', 'skip-me')
        }

        It '-Include selects the file names to read' {
            $names = @(Test-EksPodSecurity -Path $tree -Include *.yaml -Level Baseline).Name | Sort-Object
            $names | Should -Be @('a', 'd', 'skip-me')
        }

        It '-Exclude skips file names' {
            $names = @(Test-EksPodSecurity -Path $tree -Include *.yaml -Exclude skip* -Level Baseline).Name | Sort-Object
            $names | Should -Be @('a', 'd')
        }

        It 'reads a file named explicitly whatever its extension' {
            $names = @(Test-EksPodSecurity -Path (Join-Path $tree 'notes.txt') -Level Baseline).Name
            $names | Should -Be @('notes')
        }

        It 'writes ManifestNotFound for a path that does not exist and goes on with the others' {
            $results = @(Test-EksPodSecurity -Path (Join-Path $tree 'nope.yaml'), (Join-Path $tree 'a.yaml') -Level Baseline -ErrorVariable errs -ErrorAction SilentlyContinue)
            @($results.Name) | Should -Be @('a')
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'ManifestNotFound,*'
        }
    }

    It 'skips objects of other kinds with a verbose message, not an error' {
        $text = @(
            "apiVersion: v1`nkind: Service`nmetadata:`n  name: web`nspec:`n  ports:`n  - port: 80"
            "apiVersion: example.com/v1`nkind: Widget`nmetadata:`n  name: w1`nspec:`n  size: 3"
            (Get-PlainPod 'only')
        ) -join "`n---`n"
        $file = Write-Fixture 'kinds/mixed.yaml' $text

        $verbose = $null
        $out = Test-EksPodSecurity -Path $file -Level Baseline -Verbose -ErrorVariable errs 4>&1
        $results = @($out | Where-Object { $_ -is [EksSecurity.PodSecurityResult] })
        $verbose = @($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)

        @($results.Name) | Should -Be @('only')
        $errs.Count | Should -Be 0
        ($verbose -join "`n") | Should -Match 'Widget'
    }
}

Describe 'Test-EksPodSecurity -SnapshotPath' {
    BeforeAll {
        function New-Pod([string] $Namespace, [string] $Name, [switch] $Privileged, [switch] $NonRoot) {
            $container = [ordered]@{ name = 'app'; image = 'nginx:1.27' }
            if ($Privileged) { $container.securityContext = @{ privileged = $true } }
            $spec = [ordered]@{ containers = @($container) }
            if ($NonRoot) { $spec.securityContext = @{ runAsNonRoot = $true } }
            [ordered]@{ apiVersion = 'v1'; kind = 'Pod'; metadata = [ordered]@{ name = $Name; namespace = $Namespace }; spec = $spec }
        }
        function New-Namespace([string] $Name, [hashtable] $Labels = @{}) {
            $all = @{ 'kubernetes.io/metadata.name' = $Name } + $Labels
            [ordered]@{ apiVersion = 'v1'; kind = 'Namespace'; metadata = [ordered]@{ name = $Name; labels = $all } }
        }
        $empty = @{ status = 'collected'; items = @() }
        $doc = [ordered]@{
            schemaVersion = 1
            clusterName   = 'psa-labels'
            clusterArn    = 'arn:aws:eks:eu-west-1:111122223333:cluster/psa-labels'
            kubernetes    = [ordered]@{
                namespaces             = @{ status = 'collected'; items = @(
                        New-Namespace 'strict' @{ 'pod-security.kubernetes.io/enforce' = 'restricted' }
                        New-Namespace 'loose' @{ 'pod-security.kubernetes.io/enforce' = 'baseline' }
                        New-Namespace 'open' @{ 'pod-security.kubernetes.io/enforce' = 'privileged' }
                        New-Namespace 'pinned' @{ 'pod-security.kubernetes.io/enforce' = 'restricted'; 'pod-security.kubernetes.io/enforce-version' = 'v1.7' }
                        New-Namespace 'unlabelled'
                    )
                }
                pods                   = @{ status = 'collected'; items = @(
                        New-Pod 'strict' 'plain'
                        New-Pod 'loose' 'plain'
                        New-Pod 'loose' 'priv' -Privileged
                        New-Pod 'open' 'priv' -Privileged
                        New-Pod 'pinned' 'nonroot' -NonRoot
                        New-Pod 'unlabelled' 'priv' -Privileged
                    )
                }
                deployments            = $empty
                replicaSets            = $empty
                statefulSets           = $empty
                daemonSets             = $empty
                jobs                   = $empty
                cronJobs               = $empty
                replicationControllers = $empty
                podTemplates           = $empty
            }
        }
        $script:labelSnapshot = Join-Path $TestDrive 'labels.json'
        $doc | ConvertTo-Json -Depth 20 | Set-Content -LiteralPath $labelSnapshot

        function Get-Verdict($Results, [string] $Namespace, [string] $Name) {
            $r = @($Results | Where-Object { $_.Namespace -eq $Namespace -and $_.Name -eq $Name })
            $r.Count | Should -Be 1 -Because "one result for $Namespace/$Name"
            $r[0]
        }
    }

    It 'judges every pod at -Level and -Version without -UseNamespaceLabels' {
        $results = @(Test-EksPodSecurity -SnapshotPath $labelSnapshot -Level Baseline)
        $results.Count | Should -Be 6
        $results | ForEach-Object { $_.LevelSource | Should -BeExactly 'parameter'; $_.ClusterName | Should -BeExactly 'psa-labels' }
        @($results | Where-Object Allowed | ForEach-Object { "$($_.Namespace)/$($_.Name)" } | Sort-Object) |
            Should -Be @('loose/plain', 'pinned/nonroot', 'strict/plain')
    }

    It 'takes level and version from each namespace''s enforce labels with -UseNamespaceLabels' {
        $results = @(Test-EksPodSecurity -SnapshotPath $labelSnapshot -Level Baseline -UseNamespaceLabels)
        $results.Count | Should -Be 6

        $strict = Get-Verdict $results 'strict' 'plain'
        $strict.Allowed | Should -BeFalse -Because 'restricted requires runAsNonRoot and more'
        $strict.Level | Should -Be ([EksSecurity.PodSecurityLevel]::Restricted)
        $strict.Version | Should -BeExactly 'latest'
        $strict.LevelSource | Should -BeLike '*pod-security.kubernetes.io/enforce=restricted*'

        (Get-Verdict $results 'loose' 'plain').Allowed | Should -BeTrue
        $loosePriv = Get-Verdict $results 'loose' 'priv'
        $loosePriv.Allowed | Should -BeFalse
        $loosePriv.Level | Should -Be ([EksSecurity.PodSecurityLevel]::Baseline)
        @($loosePriv.Violations.CheckId) | Should -Be @('privileged')

        $open = Get-Verdict $results 'open' 'priv'
        $open.Allowed | Should -BeTrue -Because 'the namespace enforces privileged, whatever -Level says'
        $open.Level | Should -Be ([EksSecurity.PodSecurityLevel]::Privileged)

        # enforce-version=v1.7: runAsNonRoot alone was enough before v1.8.
        $pinned = Get-Verdict $results 'pinned' 'nonroot'
        $pinned.Version | Should -BeExactly 'v1.7'
        $pinned.Allowed | Should -BeTrue -Because "$pinned"
        (Test-EksPodSecurity -SnapshotPath $labelSnapshot -Level Restricted | Where-Object Namespace -EQ 'pinned').Allowed | Should -BeFalse

        # No enforce label: the admission controller's default, privileged.
        $unlabelled = Get-Verdict $results 'unlabelled' 'priv'
        $unlabelled.Allowed | Should -BeTrue
        $unlabelled.Level | Should -Be ([EksSecurity.PodSecurityLevel]::Privileged)
    }

    It '-Quiet follows the namespace labels too' {
        Test-EksPodSecurity -SnapshotPath $labelSnapshot -UseNamespaceLabels -Quiet | Should -BeFalse
        Test-EksPodSecurity -SnapshotPath $labelSnapshot -Level Privileged -Quiet | Should -BeTrue
    }

    It 'stops with SnapshotNotFound for a snapshot that does not exist' {
        { Test-EksPodSecurity -SnapshotPath (Join-Path $TestDrive 'missing.json') } | Should -Throw -ErrorId 'SnapshotNotFound*'
    }

    It 'evaluates the demo snapshot by workload, not by replica' {
        $demo = Join-Path $env:EKSSECURITY_REPO 'examples/demo-cluster/snapshot.json'
        $results = @(Test-EksPodSecurity -SnapshotPath $demo -Level Baseline)
        $results | Should -Not -BeNullOrEmpty
        $awsNode = @($results | Where-Object { $_.Namespace -eq 'kube-system' -and $_.Name -like 'aws-node*' })
        @($awsNode.Kind) | Should -Be @('DaemonSet')
        $awsNode[0].Allowed | Should -BeFalse -Because 'the VPC CNI runs privileged on the host network; Test-EksPodSecurity has no exclusions'
    }
}
