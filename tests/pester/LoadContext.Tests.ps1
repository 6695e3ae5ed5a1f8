# The module must load beside AWS Tools for PowerShell and other modules that put their own
# AWSSDK.Core and YamlDotNet in the default load context, whichever is imported first.
BeforeDiscovery {
    $script:scenarios = @(
        @{ Name = 'foreign assemblies first, then EksSecurity'; Order = 'ForeignFirst' }
        @{ Name = 'EksSecurity first, then foreign assemblies'; Order = 'ModuleFirst' }
    )
}

BeforeAll {
    $script:module = $env:EKSSECURITY_MODULE
    $script:repo = $env:EKSSECURITY_REPO
    $nuget = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { ((& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim() }
    $script:foreignAws = Join-Path $nuget 'awssdk.core/4.0.100.9/lib/net8.0/AWSSDK.Core.dll'
    $script:foreignYaml = Join-Path $nuget 'yamldotnet/16.3.0/lib/net8.0/YamlDotNet.dll'
    $script:demo = Join-Path $repo 'examples/demo-cluster/snapshot.json'
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:pwsh = Get-PwshPath

    # Runs a script in a fresh pwsh and returns what it wrote as JSON.
    function Invoke-FreshPwsh([string] $Script) {
        $output = & $pwsh -NoProfile -NonInteractive -Command $Script 2>&1
        if ($LASTEXITCODE -ne 0) { throw "child pwsh failed ($LASTEXITCODE): $($output -join [Environment]::NewLine)" }
        ($output | Where-Object { $_ -is [string] -and $_.StartsWith('{') } | Select-Object -Last 1) | ConvertFrom-Json
    }
}

Describe 'EksSecurity beside other copies of AWSSDK.Core and YamlDotNet' {
    It 'the foreign test assemblies exist' {
        $foreignAws | Should -Exist
        $foreignYaml | Should -Exist
    }

    It 'works with <Name>' -ForEach $scenarios {
        $loadForeign = "Add-Type -Path '$foreignAws'; Add-Type -Path '$foreignYaml'"
        $scan = "Import-Module '$module' -ErrorAction Stop; `$findings = @(Get-EksSecurityFinding -SnapshotPath '$demo' -ErrorAction Stop)"
        $steps = if ($Order -eq 'ForeignFirst') { "$loadForeign; $scan" } else { "$scan; $loadForeign" }
        $result = Invoke-FreshPwsh @"
`$ErrorActionPreference = 'Stop'
$steps
# The foreign copies stay usable in the default context.
`$credentials = [Amazon.Runtime.BasicAWSCredentials]::new('AKIDEXAMPLE', 'example-not-a-secret')
`$yaml = [YamlDotNet.Serialization.DeserializerBuilder]::new().Build().Deserialize([string]'a: 1')
# And the scan still works after they were loaded.
`$again = @(Get-EksSecurityFinding -SnapshotPath '$demo' -ErrorAction Stop)
`$engine = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -eq 'EksSecurity.Engine'
@{
    Findings = `$findings.Count
    Again = `$again.Count
    AwsLocation = [Amazon.Runtime.BasicAWSCredentials].Assembly.Location
    YamlLocation = [YamlDotNet.Serialization.DeserializerBuilder].Assembly.Location
    CredentialsType = `$credentials.GetType().FullName
    YamlKeys = @(`$yaml.Keys)
    EngineAssemblies = @(`$engine.Assemblies | ForEach-Object { `$_.GetName().Name })
} | ConvertTo-Json -Compress
"@
        $result.Findings | Should -BeGreaterThan 0
        $result.Again | Should -Be $result.Findings
        $result.AwsLocation | Should -Be $foreignAws
        $result.YamlLocation | Should -Be $foreignYaml
        $result.CredentialsType | Should -Be 'Amazon.Runtime.BasicAWSCredentials'
        $result.YamlKeys | Should -Contain 'a'
        $result.EngineAssemblies | Should -Contain 'EksSecurity.Engine'
        $result.EngineAssemblies | Should -Contain 'YamlDotNet'
        $result.EngineAssemblies | Should -Contain 'KubernetesClient'
    }
}

Describe 'Public surface' {
    BeforeAll {
        Import-Module $module -Force
        $script:publicAssemblies = @(
            [EksSecurity.EksSecurityFinding].Assembly
            (Get-Module EksSecurity).ImplementingAssembly
        )
    }

    It 'importing the module does not load the engine' {
        $result = Invoke-FreshPwsh @"
Import-Module '$module' -ErrorAction Stop
@{ Engine = @([System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -eq 'EksSecurity.Engine').Count
   Loaded = @([AppDomain]::CurrentDomain.GetAssemblies() | ForEach-Object { `$_.GetName().Name } | Where-Object { `$_ -like 'AWSSDK*' -or `$_ -in 'KubernetesClient', 'YamlDotNet' }) } | ConvertTo-Json -Compress
"@
        $result.Engine | Should -Be 0
        $result.Loaded | Should -BeNullOrEmpty
    }

    It 'no public signature uses a type from an isolated package' {
        $forbidden = '^(AWSSDK\..*|KubernetesClient|YamlDotNet|Fractions|EksSecurity\.Engine)$'
        $offenders = foreach ($assembly in $publicAssemblies) {
            foreach ($type in $assembly.GetExportedTypes()) {
                $members = $type.GetMembers([System.Reflection.BindingFlags]'Public,Instance,Static,DeclaredOnly')
                foreach ($member in $members) {
                    $types = switch ($member.MemberType) {
                        'Property' { $member.PropertyType }
                        'Field' { $member.FieldType }
                        'Method' { @($member.ReturnType) + @($member.GetParameters().ParameterType) }
                        'Constructor' { @($member.GetParameters().ParameterType) }
                        default { @() }
                    }
                    foreach ($t in $types) {
                        $all = @($t) + @(if ($t.IsGenericType) { $t.GetGenericArguments() }) + @(if ($t.HasElementType) { $t.GetElementType() })
                        foreach ($x in $all) {
                            if ($null -ne $x -and $x.Assembly.GetName().Name -match $forbidden) { "$($type.FullName).$($member.Name): $($x.FullName)" }
                        }
                    }
                }
                if ($type.BaseType -and $type.BaseType.Assembly.GetName().Name -match $forbidden) { "$($type.FullName) derives from $($type.BaseType.FullName)" }
            }
        }
        $offenders | Should -BeNullOrEmpty
    }
}
