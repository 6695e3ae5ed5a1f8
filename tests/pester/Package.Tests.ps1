# The package must install with PSResourceGet from a local folder repository, import by name
# and scan: what a user without the PowerShell Gallery does.
BeforeAll {
    $script:packageDir = Join-Path $env:EKSSECURITY_REPO 'out/package'
    $script:demo = Join-Path $env:EKSSECURITY_REPO 'examples/demo-cluster/snapshot.json'
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:pwsh = Get-PwshPath
}

Describe 'The .nupkg' {
    It 'exists and carries the module' {
        $nupkg = @(Get-ChildItem $packageDir -Filter 'EksSecurity.*.nupkg')
        $nupkg.Count | Should -Be 1
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead($nupkg[0].FullName)
        try {
            $names = $zip.Entries.FullName
            $names | Should -Contain 'EksSecurity.psd1'
            $names | Should -Contain 'EksSecurity.dll'
            $names | Should -Contain 'Dependencies/EksSecurity.Engine.dll'
            $names | Should -Contain 'en-US/EksSecurity.dll-Help.xml'
        }
        finally { $zip.Dispose() }
    }

    It 'installs with Install-PSResource into a fresh user module path, imports by name and scans' {
        $home_ = Join-Path $TestDrive 'home'
        # .NET reports no LocalApplicationData folder unless it exists, and PSResourceGet would then
        # keep its repository list in the current directory.
        foreach ($dir in '.local/share', '.config', '.cache') { New-Item -ItemType Directory -Force -Path (Join-Path $home_ $dir) | Out-Null }
        $saved = @{ HOME = $env:HOME; XDG_DATA_HOME = $env:XDG_DATA_HOME; XDG_CONFIG_HOME = $env:XDG_CONFIG_HOME; XDG_CACHE_HOME = $env:XDG_CACHE_HOME; PSModulePath = $env:PSModulePath }
        try {
            # A fresh pwsh under a fresh HOME: its CurrentUser module path is inside the test drive.
            $env:HOME = $home_
            $env:XDG_DATA_HOME = Join-Path $home_ '.local/share'
            $env:XDG_CONFIG_HOME = Join-Path $home_ '.config'
            $env:XDG_CACHE_HOME = Join-Path $home_ '.cache'
            $env:PSModulePath = $null
            $output = & $pwsh -NoProfile -NonInteractive -Command @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name EksSecurityLocal -Uri '$packageDir' -Trusted
Install-PSResource -Name EksSecurity -Repository EksSecurityLocal -Scope CurrentUser -TrustRepository -Quiet
Import-Module EksSecurity
`$module = Get-Module EksSecurity
`$findings = @(Get-EksSecurityFinding -SnapshotPath '$demo')
@{ Repositories = [Environment]::GetFolderPath('LocalApplicationData'); Base = `$module.ModuleBase; Version = `$module.Version.ToString(); Findings = `$findings.Count; Help = (Get-Help Get-EksSecurityFinding).Synopsis } | ConvertTo-Json -Compress
"@ 2>&1
            $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
            $result = ($output | Where-Object { $_ -is [string] -and $_.StartsWith('{') } | Select-Object -Last 1) | ConvertFrom-Json
        }
        finally {
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }
        $result.Repositories | Should -BeLike "$home_*"
        $result.Base | Should -BeLike "$home_*"
        $result.Findings | Should -BeGreaterThan 0
        $result.Help | Should -Not -BeNullOrEmpty
    }
}
