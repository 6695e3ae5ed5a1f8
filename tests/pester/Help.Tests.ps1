#Requires -Version 7.4
<#
    Help tests. build.ps1 Test runs them in a child pwsh after importing the built module
    (out/EksSecurity/<version>/EksSecurity.psd1, also in $env:EKSSECURITY_MODULE), whose en-US
    folder holds the MAML help that build/Convert-MarkdownHelp.ps1 made from docs/cmdlets/*.md.

    - every exported cmdlet has a page, and every page is an exported cmdlet's;
    - the pages document exactly the cmdlets' parameters;
    - Get-Help shows the page (its synopsis, its examples), not the help PowerShell makes up;
    - the converter fails on a broken page, naming the file.
#>

BeforeDiscovery {
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

    $module = Get-Module EksSecurity | Select-Object -First 1
    if (-not $module) {
        if (-not $env:EKSSECURITY_MODULE) { throw 'Import the built EksSecurity module first, or set EKSSECURITY_MODULE to its psd1.' }
        $module = Import-Module $env:EKSSECURITY_MODULE -PassThru -ErrorAction Stop | Select-Object -First 1
    }
    $exported = @($module.ExportedCmdlets.Keys | Sort-Object)

    # What a page says, read from the markdown itself (not from the MAML made from it). Headings
    # inside code blocks are code: PowerShell comments start with '#'.
    function Read-Page([string] $Path) {
        $title = $null
        $section = $null
        $inFence = $false
        $synopsis = [System.Collections.Generic.List[string]]::new()
        $parameters = [System.Collections.Generic.List[string]]::new()
        foreach ($line in [System.IO.File]::ReadAllLines($Path)) {
            if ($line -match '^\s*(```|~~~)') { $inFence = -not $inFence; continue }
            if ($inFence) { continue }
            if ($line -match '^#\s+(.+?)\s*$' -and -not $title) { $title = $Matches[1]; continue }
            if ($line -match '^##\s+(.+?)\s*$') { $section = $Matches[1].ToUpperInvariant(); continue }
            if ($section -eq 'SYNOPSIS' -and $line.Trim()) { $synopsis.Add($line.Trim()) }
            if ($section -eq 'PARAMETERS' -and $line -match '^###\s+-(\w+)\s*$') { $parameters.Add($Matches[1]) }
        }
        @{
            Name       = [System.IO.Path]::GetFileNameWithoutExtension($Path)
            Path       = $Path
            Title      = $title
            # Markdown escapes (\<, \*) are for the renderer; Get-Help shows the plain text.
            Synopsis   = (($synopsis -join ' ') -replace '\\([\\`*_{}\[\]()#+\-.!<>|])', '$1') -replace '\s+', ' '
            Parameters = @($parameters)
        }
    }

    $pages = @(Get-ChildItem (Join-Path $repoRoot 'docs/cmdlets') -Filter *.md -File -ErrorAction SilentlyContinue |
        Sort-Object Name | ForEach-Object { Read-Page $_.FullName })

    # One entry per exported cmdlet that has a page; a missing page is its own failing test.
    $documented = @(foreach ($name in $exported) {
        $page = $pages | Where-Object Name -EQ $name
        if ($page) { @{ Name = $name; Page = $page } }
    })
}

BeforeAll {
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    if (-not (Get-Module EksSecurity)) { Import-Module $env:EKSSECURITY_MODULE -ErrorAction Stop }
    $commonParameters = [System.Management.Automation.Cmdlet]::CommonParameters
}

Describe 'Cmdlet help pages' {
    It 'the module exports cmdlets' {
        (Get-Module EksSecurity).ExportedCmdlets.Keys | Should -Not -BeNullOrEmpty
    }

    It '<_> has a page docs/cmdlets/<_>.md' -ForEach $exported {
        Join-Path $repoRoot "docs/cmdlets/$_.md" | Should -Exist
    }

    It 'docs/cmdlets/<Name>.md is the page of an exported cmdlet' -ForEach $pages {
        $Name | Should -BeIn (Get-Module EksSecurity).ExportedCmdlets.Keys -Because 'a page must document a cmdlet the module exports'
        $Title | Should -BeExactly $Name -Because "the page's '# title' names its cmdlet"
    }

    Context '<Name>' -ForEach $documented {
        It 'documents every parameter of the cmdlet' {
            $actual = (Get-Command $Name).Parameters.Keys | Where-Object { $_ -notin $commonParameters }
            $missing = $actual | Where-Object { $_ -notin $Page.Parameters }
            $missing | Should -BeNullOrEmpty -Because "each parameter needs a '### -<Name>' entry in $($Page.Path)"
        }

        It 'documents only parameters the cmdlet has' {
            $actual = @((Get-Command $Name).Parameters.Keys)
            $extra = $Page.Parameters | Where-Object { $_ -notin $actual }
            $extra | Should -BeNullOrEmpty -Because "$($Page.Path) documents parameters that $Name does not have"
        }

        It 'documents each parameter once' {
            $Page.Parameters | Group-Object | Where-Object Count -GT 1 | ForEach-Object Name | Should -BeNullOrEmpty
        }

        It 'Get-Help -Full shows the synopsis from the page' {
            $help = Get-Help -Name $Name -Full
            $synopsis = "$($help.Synopsis)".Trim() -replace '\s+', ' '
            # Without a help file PowerShell makes the synopsis up from the syntax, which starts with the name.
            $synopsis | Should -Not -BeLike "$Name *" -Because 'the help file for the cmdlet must be found'
            $synopsis | Should -BeExactly $Page.Synopsis
            $help.description | Should -Not -BeNullOrEmpty
        }

        It 'Get-Help -Examples returns at least one example' {
            $examples = @((Get-Help -Name $Name -Examples).examples.example)
            $examples.Count | Should -BeGreaterOrEqual 1
            $examples[0].code | Should -Not -BeNullOrEmpty
        }
    }
}

Describe 'Convert-MarkdownHelp.ps1' {
    BeforeAll {
        $converter = Join-Path $repoRoot 'build/Convert-MarkdownHelp.ps1'

        # A small, complete page in the platyPS layout, with characters that XML must escape.
        $goodPage = @'
---
external help file: EksSecurity.dll-Help.xml
Module Name: EksSecurity
online version:
schema: 2.0.0
---

# Get-Sample

## SYNOPSIS
Gets <samples> & more.

## SYNTAX

```
Get-Sample [[-Name] <String[]>] [-Force] [<CommonParameters>]
```

## DESCRIPTION
Gets samples.

## EXAMPLES

### Example 1: Get every sample
```powershell
Get-Sample | Where-Object Name -like 'a*' # a comment, not a heading
```

Gets every sample whose name starts with a.

## PARAMETERS

### -Name
The names.

```yaml
Type: String[]
Parameter Sets: (All)
Aliases: N

Required: False
Position: 0
Default value: None
Accept pipeline input: True (ByValue)
Accept wildcard characters: True
```

### -Force
Forces it.

```yaml
Type: SwitchParameter
Parameter Sets: (All)
Aliases:

Required: False
Position: Named
Default value: False
Accept pipeline input: False
Accept wildcard characters: False
```

## INPUTS

### System.String[]
Names.

## OUTPUTS

### System.Object
Samples.

## NOTES

## RELATED LINKS

[Get-EksSecurityRule](Get-EksSecurityRule.md)
'@
    }

    It 'converts a complete page into MAML that Get-Help reads' {
        $dir = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'good')
        Set-Content -LiteralPath (Join-Path $dir 'Get-Sample.md') -Value $goodPage -Encoding utf8
        $out = Join-Path $TestDrive 'good-out/en-US/EksSecurity.dll-Help.xml'

        & $converter -SourcePath $dir -OutputPath $out | Out-Null

        [xml] $maml = Get-Content -LiteralPath $out -Raw
        $ns = [System.Xml.XmlNamespaceManager]::new($maml.NameTable)
        $ns.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')
        $ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
        $ns.AddNamespace('dev', 'http://schemas.microsoft.com/maml/dev/2004/10')
        $command = $maml.SelectSingleNode('/helpItems/command:command', $ns)
        $command | Should -Not -BeNullOrEmpty
        $command.SelectSingleNode('command:details/command:name', $ns).InnerText | Should -BeExactly 'Get-Sample'
        $command.SelectSingleNode('command:details/command:verb', $ns).InnerText | Should -BeExactly 'Get'
        $command.SelectSingleNode('command:details/maml:description/maml:para', $ns).InnerText | Should -BeExactly 'Gets <samples> & more.'
        $name = $command.SelectSingleNode('command:syntax/command:syntaxItem/command:parameter[maml:name="Name"]', $ns)
        $name.position | Should -Be '0'
        $name.globbing | Should -Be 'true'
        $name.pipelineInput | Should -Be 'True (ByValue)'
        $name.aliases | Should -Be 'N'
        # A switch shows no value in the syntax.
        $command.SelectSingleNode('command:syntax/command:syntaxItem/command:parameter[maml:name="Force"]/command:parameterValue', $ns) | Should -BeNullOrEmpty
        $command.SelectNodes('command:parameters/command:parameter', $ns).Count | Should -Be 2
        $command.SelectSingleNode('command:examples/command:example/dev:code', $ns).InnerText | Should -BeLike "Get-Sample | Where-Object*# a comment, not a heading"
        $command.SelectSingleNode('command:relatedLinks/maml:navigationLink/maml:linkText', $ns).InnerText | Should -BeExactly 'Get-EksSecurityRule'
    }

    It 'throws naming the file and line when a page lacks ## SYNOPSIS' {
        $dir = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'bad')
        $page = $goodPage -replace '(?ms)^## SYNOPSIS\r?\n.*?(?=^## SYNTAX)', ''
        $page | Should -Not -Match '## SYNOPSIS'
        Set-Content -LiteralPath (Join-Path $dir 'Get-Sample.md') -Value $page -Encoding utf8
        $out = Join-Path $TestDrive 'bad-out/en-US/EksSecurity.dll-Help.xml'

        { & $converter -SourcePath $dir -OutputPath $out } |
            Should -Throw -ExpectedMessage "*Get-Sample.md:*: *'## SYNOPSIS'*"
        $out | Should -Not -Exist -Because 'a failed conversion writes nothing'
    }

    It 'converts every page in docs/cmdlets' {
        $out = Join-Path $TestDrive 'docs-out/en-US/EksSecurity.dll-Help.xml'
        & $converter -SourcePath (Join-Path $repoRoot 'docs/cmdlets') -OutputPath $out | Out-Null
        [xml] $maml = Get-Content -LiteralPath $out -Raw
        $pageCount = @(Get-ChildItem (Join-Path $repoRoot 'docs/cmdlets') -Filter *.md -File).Count
        @($maml.helpItems.command).Count | Should -Be $pageCount
    }
}
