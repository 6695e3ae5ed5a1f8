<#
.SYNOPSIS
    Runs the Pester suite in its own pwsh (build.ps1 Test starts it), against the built module.
#>
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $TestPath,
    [Parameter(Mandatory)] [string] $ResultPath
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force
# Each test file imports the module itself (some must load other assemblies first).
$env:EKSSECURITY_MODULE = $ModulePath
$env:EKSSECURITY_REPO = Split-Path $PSScriptRoot -Parent
# Child pwsh processes write plain text: escape codes in a failure message break the JUnit report.
$env:NO_COLOR = '1' 
$config = New-PesterConfiguration
$config.Run.Path = $TestPath
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Normal'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'JUnitXml'
$config.TestResult.OutputPath = $ResultPath
$result = Invoke-Pester -Configuration $config
if ($result.FailedCount -gt 0 -or $result.FailedBlocksCount -gt 0 -or $result.FailedContainersCount -gt 0) { exit 1 }
exit 0
