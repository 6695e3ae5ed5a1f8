#!/usr/bin/env pwsh
<#
.SYNOPSIS
    The one entry point of the build: Build | Test | Demo | Package | Bench.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 Test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Demo', 'Package', 'Bench')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Bench: small for a quick look, large for the DESIGN.md scale.
    [ValidateSet('small', 'large')]
    [string] $Scale = 'large'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'

$root = $PSScriptRoot
$out = Join-Path $root 'out'
$manifest = Import-PowerShellDataFile (Join-Path $root 'module/EksSecurity/EksSecurity.psd1')
$version = $manifest.ModuleVersion
$moduleDir = Join-Path $out "EksSecurity/$version"
$modulePsd1 = Join-Path $moduleDir 'EksSecurity.psd1'
# Under `dotnet pwsh` this process is dotnet itself; the pwsh apphost is in $PSHOME.
$pwshPath = Join-Path $PSHOME $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })
if (-not (Test-Path $pwshPath)) { $pwshPath = (Get-Process -Id $PID).Path }

function Invoke-Native {
    param([string] $File, [string[]] $Arguments)
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') failed with exit code $LASTEXITCODE." }
}

function Get-NuGetPackageFolder {
    if ($env:NUGET_PACKAGES) { return $env:NUGET_PACKAGES }
    $line = & dotnet nuget locals global-packages --list
    return ($line -replace '^global-packages:\s*', '').Trim()
}

function Invoke-Build {
    Write-Host "Building EksSecurity $version ($Configuration)" -ForegroundColor Cyan
    $staging = Join-Path $out 'staging'
    Remove-Item $moduleDir, $staging -Recurse -Force -ErrorAction SilentlyContinue
    New-Item -ItemType Directory -Force -Path $moduleDir, (Join-Path $moduleDir 'Dependencies'), (Join-Path $moduleDir 'en-US') | Out-Null

    Invoke-Native dotnet @('publish', (Join-Path $root 'src/EksSecurity.PowerShell'), '-c', $Configuration, '-o', (Join-Path $staging 'module'), '--nologo', '-v', 'quiet')
    Invoke-Native dotnet @('publish', (Join-Path $root 'src/EksSecurity.Engine'), '-c', $Configuration, '-o', (Join-Path $staging 'engine'), '--nologo', '-v', 'quiet')

    # The cmdlets and the shared contract load in the default context...
    foreach ($file in 'EksSecurity.dll', 'EksSecurity.pdb', 'EksSecurity.Abstractions.dll', 'EksSecurity.Abstractions.pdb', 'EksSecurity.Abstractions.xml') {
        $source = Join-Path $staging "module/$file"
        if (Test-Path $source) { Copy-Item $source $moduleDir }
    }
    # ...the engine and every package it brings load in their own, from Dependencies/.
    Get-ChildItem (Join-Path $staging 'engine') -File |
        Where-Object { $_.Name -notlike 'EksSecurity.Abstractions.*' -and $_.Extension -in '.dll', '.pdb' } |
        Copy-Item -Destination (Join-Path $moduleDir 'Dependencies')

    Copy-Item (Join-Path $root 'module/EksSecurity/*') $moduleDir
    Copy-Item (Join-Path $root 'LICENSE') $moduleDir -ErrorAction SilentlyContinue
    New-Item -ItemType Directory -Force -Path (Join-Path $moduleDir 'examples') | Out-Null
    Copy-Item (Join-Path $root 'examples/demo-cluster') (Join-Path $moduleDir 'examples') -Recurse
    Copy-Item (Join-Path $root 'examples/*.yaml') (Join-Path $moduleDir 'examples')

    $null = & (Join-Path $root 'build/Convert-MarkdownHelp.ps1') -SourcePath (Join-Path $root 'docs/cmdlets') -OutputPath (Join-Path $moduleDir 'en-US/EksSecurity.dll-Help.xml')
    Remove-Item $staging -Recurse -Force
    Write-Host "Module laid out in $moduleDir" -ForegroundColor Green
}

function Read-JUnitCounts {
    param([string[]] $Files)
    $passed = 0; $failed = 0; $skipped = 0
    foreach ($file in $Files) {
        [xml] $xml = Get-Content -Raw $file
        foreach ($suite in $xml.SelectNodes('//testsuite')) {
            $tests = [int]$suite.tests
            $fail = [int]$suite.failures + [int]$suite.errors
            $skip = if ($suite.HasAttribute('skipped')) { [int]$suite.skipped } elseif ($suite.HasAttribute('disabled')) { [int]$suite.disabled } else { 0 }
            $failed += $fail; $skipped += $skip; $passed += $tests - $fail - $skip
        }
    }
    [pscustomobject]@{ Passed = $passed; Failed = $failed; Skipped = $skipped }
}

function Invoke-Test {
    # Package builds the module too; the Pester suite installs the package.
    Invoke-Package
    $results = Join-Path $out 'test-results'
    Remove-Item $results -Recurse -Force -ErrorAction SilentlyContinue
    New-Item -ItemType Directory -Force -Path $results | Out-Null

    Write-Host 'xunit' -ForegroundColor Cyan
    & dotnet test (Join-Path $root 'EksSecurity.PowerShell.sln') -c $Configuration --nologo `
        --logger "junit;LogFilePath=$results/xunit-{assembly}.xml;MethodFormat=Class;FailureBodyFormat=Verbose" `
        --logger 'console;verbosity=minimal'
    $xunitExit = $LASTEXITCODE

    Write-Host 'Pester' -ForegroundColor Cyan
    Invoke-Native dotnet @('restore', (Join-Path $root 'build/Tools.csproj'), '--nologo', '-v', 'quiet')
    $pester = Join-Path (Get-NuGetPackageFolder) 'pester/6.2.0/tools/Pester.psd1'
    & $pwshPath -NoProfile -NonInteractive -File (Join-Path $root 'build/Invoke-PesterSuite.ps1') `
        -PesterPath $pester -ModulePath $modulePsd1 -TestPath (Join-Path $root 'tests/pester') -ResultPath (Join-Path $results 'pester.xml')
    $pesterExit = $LASTEXITCODE

    $xunitFiles = @(Get-ChildItem $results -Filter 'xunit-*.xml' | ForEach-Object FullName)
    $x = Read-JUnitCounts $xunitFiles
    $p = if (Test-Path (Join-Path $results 'pester.xml')) { Read-JUnitCounts @(Join-Path $results 'pester.xml') } else { [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }
    if ($xunitFiles.Count -eq 0 -and $xunitExit -ne 0) { $x.Failed++ }
    Write-Host ("xunit: {0} passed, {1} failed, {2} skipped; Pester: {3} passed, {4} failed, {5} skipped" -f $x.Passed, $x.Failed, $x.Skipped, $p.Passed, $p.Failed, $p.Skipped)
    $passed = $x.Passed + $p.Passed
    $failed = $x.Failed + $p.Failed
    # A runner that died without reporting a failure still fails the run.
    if ($failed -eq 0 -and ($xunitExit -ne 0 -or $pesterExit -ne 0)) { $failed = 1 }
    $skipped = $x.Skipped + $p.Skipped
    $summary = "$passed passed, $failed failed" + $(if ($skipped) { ", $skipped skipped" } else { '' })
    Write-Host $summary
    if ($failed -gt 0 -or $passed -eq 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    # The production-like demo cluster, and a small sandbox for the rules that cannot fire beside its story.
    $demo = Join-Path $root 'examples/demo-cluster/*.json'
    & $pwshPath -NoProfile -NonInteractive -Command {
        param($ModulePath, $Demo)
        $ErrorActionPreference = 'Stop'
        Import-Module $ModulePath
        Write-Host "Get-EksSecurityFinding -SnapshotPath $Demo" -ForegroundColor Cyan
        $findings = Get-EksSecurityFinding -SnapshotPath $Demo
        $findings | Sort-Object -Property ClusterName, @{ Expression = 'Severity'; Descending = $true }, RuleId, Resource | Format-Table | Out-String -Width 160 | Write-Host
        Write-Host 'Findings that need attention, by severity:' -ForegroundColor Cyan
        $findings | Group-Object Severity | Sort-Object { [int][EksSecurity.Severity]$_.Name } -Descending |
            Format-Table @{ Label = 'Severity'; Expression = 'Name' }, Count -AutoSize | Out-String | Write-Host
        $all = Get-EksSecurityFinding -SnapshotPath $Demo -IncludePassed
        Write-Host ('{0} rules checked, {1} findings: {2}' -f ($all.RuleId | Sort-Object -Unique).Count, $all.Count,
            (($all | Group-Object Status | ForEach-Object { '{0} {1}' -f $_.Count, $_.Name }) -join ', '))
    } -args $modulePsd1, $demo
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Invoke-Package {
    Invoke-Build
    $packageDir = Join-Path $out 'package'
    Remove-Item $packageDir -Recurse -Force -ErrorAction SilentlyContinue
    New-Item -ItemType Directory -Force -Path $packageDir | Out-Null
    Compress-PSResource -Path $moduleDir -DestinationPath $packageDir
    $nupkg = Get-ChildItem $packageDir -Filter *.nupkg | Select-Object -First 1
    if (-not $nupkg) { throw "Compress-PSResource wrote no .nupkg to $packageDir." }
    Write-Host "Package: $($nupkg.FullName)" -ForegroundColor Green
}

function Invoke-Bench {
    Invoke-Native dotnet @('run', '-c', 'Release', '--project', (Join-Path $root 'tests/EksSecurity.Benchmarks'), '--', '--scale', $Scale, '--out', (Join-Path $out 'bench'))
    # Live collection against the Kubernetes test server, beside kubectl (one kubectl run: at large scale it needs 15-20 GB).
    Invoke-Native dotnet @('run', '-c', 'Release', '--project', (Join-Path $root 'tests/EksSecurity.Benchmarks'), '--', '--collect', '--scale', $Scale, '--kubectl-runs', '1', '--out', (Join-Path $out 'bench'))
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Test }
    'Demo' { Invoke-Demo }
    'Package' { Invoke-Package }
    'Bench' { Invoke-Bench }
}
