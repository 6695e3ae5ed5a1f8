BeforeAll {
    $script:module = $env:EKSSECURITY_MODULE
}

Describe 'Module manifest' {
    It 'passes Test-ModuleManifest' {
        { Test-ModuleManifest -Path $module -ErrorAction Stop } | Should -Not -Throw
    }

    It 'declares Core edition, PowerShell 7.4 and explicit export lists' {
        $data = Import-PowerShellDataFile $module
        $data.CompatiblePSEditions | Should -Be @('Core')
        $data.PowerShellVersion | Should -Be '7.4'
        $data.FunctionsToExport | Should -BeNullOrEmpty
        $data.AliasesToExport | Should -BeNullOrEmpty
        $data.VariablesToExport | Should -BeNullOrEmpty
        $data.CmdletsToExport | Should -Not -Contain '*'
    }

    It 'exports exactly the cmdlet classes of EksSecurity.dll' {
        Import-Module $module -Force
        $assembly = (Get-Module EksSecurity).ImplementingAssembly
        $classes = $assembly.GetExportedTypes() |
            ForEach-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } |
            ForEach-Object { '{0}-{1}' -f $_.VerbName, $_.NounName } | Sort-Object
        $exported = (Get-Command -Module EksSecurity -CommandType Cmdlet).Name | Sort-Object
        $exported | Should -Be $classes
        $declared = (Import-PowerShellDataFile $module).CmdletsToExport | Sort-Object
        $declared | Should -Be $classes
    }

    It 'uses approved verbs only' {
        Import-Module $module -Force
        $approved = (Get-Verb).Verb
        (Get-Command -Module EksSecurity).Verb | Where-Object { $_ -notin $approved } | Should -BeNullOrEmpty
    }
}
