#Requires -Version 7.4
<#
.SYNOPSIS
    Converts cmdlet help pages (platyPS markdown layout) into one MAML help file.

.DESCRIPTION
    Reads every docs/cmdlets/<Cmdlet>.md page and writes the command-help MAML file that
    PowerShell's Get-Help reads for a binary module (EksSecurity.dll-Help.xml). platyPS is not
    available from the package registries this project builds from, so this is the project's own
    converter for the same page layout:

        ---                                   YAML front matter: external help file, Module Name,
        external help file: X.dll-Help.xml    online version, schema: 2.0.0
        ---
        # Verb-Noun
        ## SYNOPSIS
        ## SYNTAX           ``` blocks, one per parameter set (### SetName headings when named)
        ## DESCRIPTION
        ## EXAMPLES         ### Example N: title, a code block, remarks
        ## PARAMETERS       ### -Name, description, a ```yaml block per parameter set
        ## INPUTS           ### TypeName + text
        ## OUTPUTS          ### TypeName + text
        ## NOTES
        ## RELATED LINKS    [text](uri) lines

    Every page is parsed and checked before anything is written. A page that lacks a required
    section, or is malformed, stops the conversion with an error naming the file and line.

.PARAMETER SourcePath
    Folders of *.md pages, or page files.

.PARAMETER OutputPath
    The MAML file to write, such as out/EksSecurity/0.1.0/en-US/EksSecurity.dll-Help.xml. Its
    name must be the one the pages declare in 'external help file'.

.EXAMPLE
    ./build/Convert-MarkdownHelp.ps1 -SourcePath docs/cmdlets -OutputPath out/EksSecurity/0.1.0/en-US/EksSecurity.dll-Help.xml
#>
[CmdletBinding()]
[OutputType([System.IO.FileInfo])]
param(
    [Parameter(Mandatory)]
    [string[]] $SourcePath,

    [Parameter(Mandatory)]
    [string] $OutputPath
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

$script:RequiredSections = @('SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS')
$script:OptionalSections = @('ALIASES')   # written by newer platyPS versions; not part of MAML
$script:RequiredYamlKeys = @('Type', 'Parameter Sets', 'Required', 'Position', 'Accept pipeline input', 'Accept wildcard characters')
$script:KnownYamlKeys = $script:RequiredYamlKeys + @('Aliases', 'Accepted values', 'Default value', 'Applicable')

$NsMaml = 'http://schemas.microsoft.com/maml/2004/10'
$NsCommand = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$NsDev = 'http://schemas.microsoft.com/maml/dev/2004/10'
$NsMSHelp = 'http://msdn.microsoft.com/mshelp'

#region Parsing

function Stop-Page {
    # Every error names the page and the 1-based line, as file:line, like a compiler does.
    param([string] $File, [int] $Line, [string] $Message)
    throw "${File}:${Line}: $Message"
}

function Test-Fence([string] $Text) { $Text -match '^\s*(```|~~~)' }

function Split-Block {
    <#
    Splits the lines of a section into blocks: H3 headings, fenced code blocks and paragraphs
    (runs of non-blank lines). Each block carries the line it starts on.
    #>
    param([string] $File, [object[]] $Lines)
    $blocks = [System.Collections.Generic.List[object]]::new()
    $i = 0
    while ($i -lt $Lines.Count) {
        $line = $Lines[$i]
        if (Test-Fence $line.Text) {
            $fence = ($line.Text.Trim() -replace '^(```+|~~~+).*$', '$1')
            $indent = $line.Text.Length - $line.Text.TrimStart().Length
            $lang = $line.Text.Trim().Substring($fence.Length).Trim()
            $code = [System.Collections.Generic.List[string]]::new()
            $j = $i + 1
            $closed = $false
            while ($j -lt $Lines.Count) {
                $t = $Lines[$j].Text
                if ($t.Trim().StartsWith($fence) -and $t.Trim().TrimStart($fence[0]).Trim().Length -eq 0) { $closed = $true; break }
                # Strip the fence's own indentation (a code block inside a list item).
                $code.Add(($t.Length -ge $indent -and $t.Substring(0, $indent).Trim().Length -eq 0) ? $t.Substring($indent) : $t.TrimStart())
                $j++
            }
            if (-not $closed) { Stop-Page $File $line.Number "the code block opened here is never closed" }
            $blocks.Add([pscustomobject]@{ Kind = 'Code'; Line = $line.Number; Lang = $lang; Lines = $code.ToArray(); Text = '' })
            $i = $j + 1
            continue
        }
        if ($line.Text -match '^###\s+(.+?)\s*#*\s*$') {
            $blocks.Add([pscustomobject]@{ Kind = 'Heading'; Line = $line.Number; Lang = ''; Lines = @(); Text = $Matches[1] })
            $i++
            continue
        }
        if ($line.Text -match '^#{4,}\s') { Stop-Page $File $line.Number "headings below ### are not part of the help page layout: '$($line.Text)'" }
        if ($line.Text.Trim().Length -eq 0) { $i++; continue }
        $para = [System.Collections.Generic.List[string]]::new()
        $start = $line.Number
        while ($i -lt $Lines.Count -and $Lines[$i].Text.Trim().Length -gt 0 -and -not (Test-Fence $Lines[$i].Text) -and $Lines[$i].Text -notmatch '^#{3,}\s') {
            $para.Add($Lines[$i].Text)
            $i++
        }
        $blocks.Add([pscustomobject]@{ Kind = 'Para'; Line = $start; Lang = ''; Lines = $para.ToArray(); Text = '' })
    }
    , $blocks.ToArray()
}

function ConvertTo-ParaText {
    # A paragraph becomes one maml:para. Prose lines are joined (markdown wraps them); list items
    # and code keep their line breaks.
    param([object] $Block)
    if ($Block.Kind -eq 'Code') { return ($Block.Lines -join "`n") }
    $isList = @($Block.Lines | Where-Object { $_ -match '^\s*([-*+]|\d+[.)])\s+' }).Count -gt 0
    if ($isList) { return (($Block.Lines | ForEach-Object { $_.TrimEnd() }) -join "`n") }
    $text = ($Block.Lines | ForEach-Object { $_.Trim() }) -join ' '
    # Markdown escapes (\<, \*, \_) are for the renderer, not the reader.
    return ($text -replace '\\([\\`*_{}\[\]()#+\-.!<>|])', '$1')
}

function Get-Paragraph {
    # The paragraphs (and code blocks) of a section that has no subsections.
    param([string] $File, [object[]] $Blocks, [string] $Section)
    foreach ($b in $Blocks) {
        if ($b.Kind -eq 'Heading') { Stop-Page $File $b.Line "the '## $Section' section has no subsections, found '### $($b.Text)'" }
        ConvertTo-ParaText $b
    }
}

function Assert-NoPlaceholder {
    param([string] $File, [object[]] $Lines)
    foreach ($l in $Lines) {
        if ($l.Text -match '\{\{.*\}\}') { Stop-Page $File $l.Number "placeholder text left on the page: '$($l.Text.Trim())'" }
    }
}

function ConvertFrom-YamlBlock {
    param([string] $File, [object] $Block, [string] $Parameter)
    $values = [ordered]@{}
    $n = $Block.Line
    foreach ($text in $Block.Lines) {
        $n++
        if ($text.Trim().Length -eq 0) { continue }
        if ($text -notmatch '^([A-Za-z][A-Za-z ]*?)\s*:\s*(.*)$') { Stop-Page $File $n "parameter -${Parameter}: a yaml line must be 'Key: value', found '$text'" }
        $key = $Matches[1]; $value = $Matches[2].Trim()
        $known = $script:KnownYamlKeys | Where-Object { $_ -eq $key }
        if (-not $known) { Stop-Page $File $n "parameter -${Parameter}: unknown key '$key' (known: $($script:KnownYamlKeys -join ', '))" }
        if ($values.Contains($known)) { Stop-Page $File $n "parameter -${Parameter}: key '$key' appears twice" }
        $values[$known] = $value
    }
    foreach ($k in $script:RequiredYamlKeys) {
        if (-not $values.Contains($k) -or $values[$k].Length -eq 0) { Stop-Page $File $Block.Line "parameter -${Parameter}: the yaml block has no '${k}:' value" }
    }
    foreach ($k in 'Required', 'Accept wildcard characters') {
        if ($values[$k] -notmatch '^(?i:true|false)$') { Stop-Page $File $Block.Line "parameter -${Parameter}: '${k}' must be True or False, found '$($values[$k])'" }
    }
    if ($values['Position'] -notmatch '^(?i:named|\d+)$') { Stop-Page $File $Block.Line "parameter -${Parameter}: 'Position' must be Named or a number, found '$($values['Position'])'" }
    if ($values['Accept pipeline input'] -notmatch '^(?i:false|true \((ByValue|ByPropertyName|ByValue, ByPropertyName|ByPropertyName, ByValue)\))$') {
        Stop-Page $File $Block.Line "parameter -${Parameter}: 'Accept pipeline input' must be False, True (ByValue), True (ByPropertyName) or True (ByValue, ByPropertyName), found '$($values['Accept pipeline input'])'"
    }
    $split = { param($v) @(if ($v -and $v -notmatch '^(?i:none)$') { $v -split '\s*,\s*' | Where-Object { $_ } }) }
    [pscustomobject]@{
        Line           = $Block.Line
        Type           = $values['Type']
        Sets           = @(& $split $values['Parameter Sets'])
        Aliases        = @(& $split $values['Aliases'])
        AcceptedValues = @(& $split $values['Accepted values'])
        Required       = $values['Required'] -eq 'true'
        Position       = ($values['Position'] -match '^\d+$') ? $values['Position'] : 'named'
        DefaultValue   = ($values.Contains('Default value') -and $values['Default value'].Length -gt 0) ? $values['Default value'] : 'None'
        PipelineInput  = ($values['Accept pipeline input'] -match '^(?i:false)$') ? 'False' : $values['Accept pipeline input']
        Globbing       = $values['Accept wildcard characters'] -eq 'true'
    }
}

function Read-HelpPage {
    param([string] $File)

    $raw = [System.IO.File]::ReadAllText($File)
    $texts = $raw -split '\r?\n'
    $lines = for ($k = 0; $k -lt $texts.Count; $k++) { [pscustomobject]@{ Number = $k + 1; Text = $texts[$k] } }
    $lines = @($lines)

    # Front matter.
    if ($lines.Count -eq 0 -or $lines[0].Text.Trim() -ne '---') { Stop-Page $File 1 "the page must start with YAML front matter ('---')" }
    $front = @{}
    $i = 1
    while ($i -lt $lines.Count -and $lines[$i].Text.Trim() -ne '---') {
        $t = $lines[$i].Text
        if ($t.Trim().Length -gt 0) {
            if ($t -notmatch '^([^:]+):\s*(.*)$') { Stop-Page $File $lines[$i].Number "front matter lines must be 'key: value', found '$t'" }
            $front[$Matches[1].Trim()] = $Matches[2].Trim()
        }
        $i++
    }
    if ($i -ge $lines.Count) { Stop-Page $File 1 "the front matter opened here is never closed with '---'" }
    foreach ($k in 'external help file', 'Module Name', 'schema') {
        if (-not $front.ContainsKey($k) -or $front[$k].Length -eq 0) { Stop-Page $File 1 "the front matter has no '${k}:' value" }
    }
    if ($front['schema'] -ne '2.0.0') { Stop-Page $File 1 "the front matter declares schema '$($front['schema'])'; only 2.0.0 is supported" }
    $bodyStart = $i + 1

    # Title and H2 sections; headings inside code blocks are code (PowerShell comments start with #).
    $name = $null; $nameLine = 0
    $sections = [ordered]@{}
    $current = $null
    $inFence = $false; $fence = ''
    for ($k = $bodyStart; $k -lt $lines.Count; $k++) {
        $l = $lines[$k]
        if ($inFence) {
            if ($l.Text.Trim().StartsWith($fence) -and $l.Text.Trim().TrimStart($fence[0]).Trim().Length -eq 0) { $inFence = $false }
        }
        elseif (Test-Fence $l.Text) {
            $inFence = $true; $fence = ($l.Text.Trim() -replace '^(```+|~~~+).*$', '$1')
        }
        elseif ($l.Text -match '^#\s+(.+?)\s*$') {
            if ($null -ne $name) { Stop-Page $File $l.Number "a second '# title' heading: '$($l.Text)'" }
            $name = $Matches[1]; $nameLine = $l.Number
            continue
        }
        elseif ($l.Text -match '^##\s+(.+?)\s*$') {
            $title = $Matches[1].ToUpperInvariant()
            if ($title -notin ($script:RequiredSections + $script:OptionalSections)) {
                Stop-Page $File $l.Number "unknown section '$($l.Text)' (expected: $(($script:RequiredSections | ForEach-Object { "## $_" }) -join ', '))"
            }
            if ($sections.Contains($title)) { Stop-Page $File $l.Number "the section '## $title' appears twice" }
            if ($null -eq $name) { Stop-Page $File $l.Number "the '# <cmdlet name>' title must come before the first section" }
            $current = [pscustomobject]@{ Title = $title; Line = $l.Number; Lines = [System.Collections.Generic.List[object]]::new() }
            $sections[$title] = $current
            continue
        }
        if ($null -ne $current) { $current.Lines.Add($l) }
        elseif ($l.Text.Trim().Length -gt 0 -and $null -ne $name) { Stop-Page $File $l.Number "text between the title and the first section: '$($l.Text)'" }
    }
    if ($inFence) { Stop-Page $File $lines[-1].Number "a code block is never closed" }
    if ($null -eq $name) { Stop-Page $File ($lines.Count -gt $bodyStart ? $lines[$bodyStart].Number : $lines[-1].Number) "the page has no '# <cmdlet name>' title" }
    $expectedName = [System.IO.Path]::GetFileNameWithoutExtension($File)
    if ($name -cne $expectedName) { Stop-Page $File $nameLine "the title '# $name' does not match the file name '$expectedName.md'" }
    if ($name -notmatch '^[A-Za-z]+-[A-Za-z0-9]+$') { Stop-Page $File $nameLine "'$name' is not a Verb-Noun cmdlet name" }

    # Every required section is present; a missing one is reported where it should have been.
    for ($r = 0; $r -lt $script:RequiredSections.Count; $r++) {
        $req = $script:RequiredSections[$r]
        if ($sections.Contains($req)) { continue }
        $next = $script:RequiredSections | Select-Object -Skip ($r + 1) | Where-Object { $sections.Contains($_) } | Select-Object -First 1
        $where = $next ? $sections[$next].Line : $lines[-1].Number
        Stop-Page $File $where "the page has no '## $req' section (required: $(($script:RequiredSections | ForEach-Object { "## $_" }) -join ', '))"
    }
    foreach ($s in $sections.Values) { Assert-NoPlaceholder $File $s.Lines.ToArray() }

    $blocksOf = @{}
    foreach ($s in $sections.Values) { $blocksOf[$s.Title] = Split-Block $File $s.Lines.ToArray() }

    # SYNOPSIS, DESCRIPTION, NOTES: text.
    $synopsis = @(Get-Paragraph $File $blocksOf['SYNOPSIS'] 'SYNOPSIS')
    if ($synopsis.Count -eq 0) { Stop-Page $File $sections['SYNOPSIS'].Line "the '## SYNOPSIS' section is empty" }
    $description = @(Get-Paragraph $File $blocksOf['DESCRIPTION'] 'DESCRIPTION')
    if ($description.Count -eq 0) { Stop-Page $File $sections['DESCRIPTION'].Line "the '## DESCRIPTION' section is empty" }
    $notes = @(Get-Paragraph $File $blocksOf['NOTES'] 'NOTES')

    # SYNTAX: one code block per parameter set; the block gives the order of the parameters.
    $syntax = [System.Collections.Generic.List[object]]::new()
    $setName = $null; $setLine = 0
    foreach ($b in $blocksOf['SYNTAX']) {
        switch ($b.Kind) {
            'Heading' {
                if ($null -ne $setName) { Stop-Page $File $setLine "the parameter set '### $setName' has no syntax code block" }
                $setName = $b.Text -replace '\s*\(Default\)\s*$', ''; $setLine = $b.Line
            }
            'Code' {
                $text = ($b.Lines -join ' ').Trim()
                if (-not $text.StartsWith($name, [StringComparison]::OrdinalIgnoreCase)) { Stop-Page $File $b.Line "the syntax block must start with the cmdlet name '$name'" }
                $names = @([regex]::Matches($text.Substring($name.Length), '(?<![\w-])-([A-Za-z]\w*)') | ForEach-Object { $_.Groups[1].Value })
                if ($null -eq $setName -and $syntax.Count -gt 0) { Stop-Page $File $b.Line "several syntax blocks need a '### <parameter set name>' heading each" }
                $syntax.Add([pscustomobject]@{ Set = $setName ?? '(All)'; Line = $b.Line; Parameters = $names })
                $setName = $null
            }
            'Para' { Stop-Page $File $b.Line "the '## SYNTAX' section holds only '### <set>' headings and code blocks" }
        }
    }
    if ($null -ne $setName) { Stop-Page $File $setLine "the parameter set '### $setName' has no syntax code block" }
    if ($syntax.Count -eq 0) { Stop-Page $File $sections['SYNTAX'].Line "the '## SYNTAX' section has no syntax code block" }

    # EXAMPLES: ### Example N: title, code, remarks.
    $examples = [System.Collections.Generic.List[object]]::new()
    $ex = $null
    foreach ($b in $blocksOf['EXAMPLES']) {
        if ($b.Kind -eq 'Heading') {
            if ($b.Text -notmatch '^Example\s+(\d+)\s*:\s*(.+)$') { Stop-Page $File $b.Line "an example heading must read '### Example <n>: <title>', found '### $($b.Text)'" }
            if ([int]$Matches[1] -ne $examples.Count + 1) { Stop-Page $File $b.Line "examples are numbered from 1 in order; expected Example $($examples.Count + 1)" }
            $ex = [pscustomobject]@{ Title = $b.Text; Line = $b.Line; Code = [System.Collections.Generic.List[string]]::new(); Remarks = [System.Collections.Generic.List[string]]::new() }
            $examples.Add($ex)
            continue
        }
        if ($null -eq $ex) { Stop-Page $File $b.Line "text before the first '### Example 1: <title>' heading" }
        if ($b.Kind -eq 'Code' -and $ex.Remarks.Count -eq 0) { $ex.Code.Add(($b.Lines -join "`n")) }
        else { $ex.Remarks.Add((ConvertTo-ParaText $b)) }
    }
    if ($examples.Count -eq 0) { Stop-Page $File $sections['EXAMPLES'].Line "the '## EXAMPLES' section has no '### Example 1: <title>'" }
    foreach ($e in $examples) { if ($e.Code.Count -eq 0) { Stop-Page $File $e.Line "'### $($e.Title)' has no code block" } }

    # PARAMETERS: ### -Name, description, yaml block(s).
    $parameters = [System.Collections.Generic.List[object]]::new()
    $p = $null
    foreach ($b in $blocksOf['PARAMETERS']) {
        if ($b.Kind -eq 'Heading') {
            if ($b.Text -eq 'CommonParameters') { $p = 'common'; continue }
            if ($b.Text -notmatch '^-([A-Za-z]\w*)$') { Stop-Page $File $b.Line "a parameter heading must read '### -<Name>', found '### $($b.Text)'" }
            $pname = $Matches[1]
            if ($parameters | Where-Object Name -EQ $pname) { Stop-Page $File $b.Line "the parameter -$pname is documented twice" }
            $p = [pscustomobject]@{ Name = $pname; Line = $b.Line; Description = [System.Collections.Generic.List[string]]::new(); Blocks = [System.Collections.Generic.List[object]]::new() }
            $parameters.Add($p)
            continue
        }
        if ($null -eq $p) { Stop-Page $File $b.Line "text before the first '### -<Name>' parameter heading" }
        if ($p -is [string]) { continue }   # the CommonParameters boilerplate
        if ($b.Kind -eq 'Code' -and $b.Lang -eq 'yaml') { $p.Blocks.Add((ConvertFrom-YamlBlock $File $b $p.Name)) }
        elseif ($p.Blocks.Count -gt 0) { Stop-Page $File $b.Line "parameter -$($p.Name): text after its yaml block" }
        else { $p.Description.Add((ConvertTo-ParaText $b)) }
    }
    foreach ($q in $parameters) {
        if ($q.Blocks.Count -eq 0) { Stop-Page $File $q.Line "parameter -$($q.Name) has no ```yaml block" }
        if ($q.Description.Count -eq 0) { Stop-Page $File $q.Line "parameter -$($q.Name) has no description" }
    }

    # Syntax and parameters agree: each syntax parameter is documented for that set, and each
    # documented parameter appears in the syntax of every set it claims.
    $named = @($syntax | Where-Object Set -NE '(All)' | ForEach-Object Set)
    foreach ($q in $parameters) {
        foreach ($blk in $q.Blocks) {
            foreach ($s in $blk.Sets) {
                if ($s -ne '(All)' -and $s -notin $named) { Stop-Page $File $blk.Line "parameter -$($q.Name) names the parameter set '$s', which '## SYNTAX' does not have" }
            }
        }
    }
    $syntaxItems = foreach ($item in $syntax) {
        $entries = foreach ($pn in $item.Parameters) {
            $doc = $parameters | Where-Object Name -EQ $pn | Select-Object -First 1
            if (-not $doc) { Stop-Page $File $item.Line "the syntax names -$pn, which '## PARAMETERS' does not document" }
            $blk = $doc.Blocks | Where-Object { $item.Set -eq '(All)' -or $_.Sets -contains '(All)' -or $_.Sets -contains $item.Set } | Select-Object -First 1
            if (-not $blk) { Stop-Page $File $doc.Line "parameter -$pn is in the syntax of '$($item.Set)' but its yaml names no such parameter set" }
            [pscustomobject]@{ Doc = $doc; Block = $blk }
        }
        foreach ($q in $parameters) {
            $claims = $q.Blocks | Where-Object { $_.Sets -contains '(All)' -or $_.Sets -contains $item.Set -or $item.Set -eq '(All)' }
            if ($claims -and $item.Parameters -notcontains $q.Name) {
                Stop-Page $File $item.Line "parameter -$($q.Name) belongs to the parameter set '$($item.Set)' but its syntax block does not name it"
            }
        }
        [pscustomobject]@{ Set = $item.Set; Parameters = @($entries) }
    }

    # INPUTS / OUTPUTS: ### TypeName + text.
    $typesOf = {
        param($section)
        $list = [System.Collections.Generic.List[object]]::new()
        $t = $null
        foreach ($b in $blocksOf[$section]) {
            if ($b.Kind -eq 'Heading') { $t = [pscustomobject]@{ TypeName = $b.Text; Description = [System.Collections.Generic.List[string]]::new() }; $list.Add($t); continue }
            if ($null -eq $t) { Stop-Page $File $b.Line "the '## $section' section lists types as '### <type name>' headings, each followed by text" }
            $t.Description.Add((ConvertTo-ParaText $b))
        }
        if ($list.Count -eq 0) { Stop-Page $File $sections[$section].Line "the '## $section' section names no type (use '### None' when there is none)" }
        , $list.ToArray()
    }
    $inputs = & $typesOf 'INPUTS'
    $outputs = & $typesOf 'OUTPUTS'

    # RELATED LINKS: [text](uri), one a line or bullet.
    $links = [System.Collections.Generic.List[object]]::new()
    if ($front['online version']) { $links.Add([pscustomobject]@{ Text = 'Online Version:'; Uri = $front['online version'] }) }
    foreach ($l in $sections['RELATED LINKS'].Lines) {
        if ($l.Text.Trim().Length -eq 0) { continue }
        if ($l.Text -notmatch '^\s*(?:[-*]\s+)?\[([^\]]+)\]\(([^)]*)\)\s*$') { Stop-Page $File $l.Number "a related link must read '[text](uri)', found '$($l.Text.Trim())'" }
        $uri = $Matches[2].Trim()
        # Get-Help -Online opens the first absolute URI; a link to a sibling page is shown by name.
        $abs = $null
        if (-not [Uri]::TryCreate($uri, [UriKind]::Absolute, [ref]$abs) -or $abs.Scheme -notin 'http', 'https') { $uri = '' }
        $links.Add([pscustomobject]@{ Text = $Matches[1].Trim(); Uri = $uri })
    }

    [pscustomobject]@{
        File        = $File
        Name        = $name
        FrontMatter = $front
        Synopsis    = $synopsis
        Description = $description
        Syntax      = @($syntaxItems)
        Parameters  = $parameters.ToArray()
        Inputs      = $inputs
        Outputs     = $outputs
        Notes       = $notes
        Examples    = $examples.ToArray()
        Links       = $links.ToArray()
    }
}

#endregion

#region Writing

function Write-Para([System.Xml.XmlWriter] $W, [string[]] $Paras) {
    foreach ($para in $Paras) { $W.WriteElementString('maml', 'para', $NsMaml, $para) }
}

function Write-Description([System.Xml.XmlWriter] $W, [string[]] $Paras) {
    $W.WriteStartElement('maml', 'description', $NsMaml)
    Write-Para $W $Paras
    $W.WriteEndElement()
}

function Write-Parameter([System.Xml.XmlWriter] $W, [object] $Doc, [object] $Block, [bool] $InSyntax) {
    $isSwitch = $Block.Type -in 'SwitchParameter', 'Switch', 'System.Management.Automation.SwitchParameter'
    $isArray = $Block.Type.EndsWith('[]')
    $W.WriteStartElement('command', 'parameter', $NsCommand)
    $W.WriteAttributeString('required', $Block.Required.ToString().ToLowerInvariant())
    $W.WriteAttributeString('variableLength', $isArray.ToString().ToLowerInvariant())
    $W.WriteAttributeString('globbing', $Block.Globbing.ToString().ToLowerInvariant())
    $W.WriteAttributeString('pipelineInput', $Block.PipelineInput)
    $W.WriteAttributeString('position', $Block.Position)
    $W.WriteAttributeString('aliases', ($Block.Aliases.Count -gt 0 ? ($Block.Aliases -join ', ') : 'none'))
    $W.WriteElementString('maml', 'name', $NsMaml, $Doc.Name)
    Write-Description $W $Doc.Description
    if ($Block.AcceptedValues.Count -gt 0) {
        $W.WriteStartElement('command', 'parameterValueGroup', $NsCommand)
        foreach ($v in $Block.AcceptedValues) {
            $W.WriteStartElement('command', 'parameterValue', $NsCommand)
            $W.WriteAttributeString('required', 'false')
            $W.WriteAttributeString('variableLength', 'false')
            $W.WriteString($v)
            $W.WriteEndElement()
        }
        $W.WriteEndElement()
    }
    $type = $isSwitch ? 'SwitchParameter' : $Block.Type
    # A switch takes no value: Get-Help shows [-IncludePassed], not [-IncludePassed <SwitchParameter>].
    if (-not ($InSyntax -and $isSwitch)) {
        $W.WriteStartElement('command', 'parameterValue', $NsCommand)
        $W.WriteAttributeString('required', (-not $isSwitch).ToString().ToLowerInvariant())
        $W.WriteAttributeString('variableLength', $isArray.ToString().ToLowerInvariant())
        $W.WriteString($type)
        $W.WriteEndElement()
    }
    $W.WriteStartElement('dev', 'type', $NsDev)
    $W.WriteElementString('maml', 'name', $NsMaml, $type)
    $W.WriteElementString('maml', 'uri', $NsMaml, '')
    $W.WriteEndElement()
    $W.WriteElementString('dev', 'defaultValue', $NsDev, $Block.DefaultValue)
    $W.WriteEndElement()
}

function Write-Command([System.Xml.XmlWriter] $W, [object] $Page) {
    $W.WriteStartElement('command', 'command', $NsCommand)
    $W.WriteAttributeString('xmlns', 'maml', $null, $NsMaml)
    $W.WriteAttributeString('xmlns', 'command', $null, $NsCommand)
    $W.WriteAttributeString('xmlns', 'dev', $null, $NsDev)
    $W.WriteAttributeString('xmlns', 'MSHelp', $null, $NsMSHelp)

    $verb, $noun = $Page.Name -split '-', 2
    $W.WriteStartElement('command', 'details', $NsCommand)
    $W.WriteElementString('command', 'name', $NsCommand, $Page.Name)
    $W.WriteElementString('command', 'verb', $NsCommand, $verb)
    $W.WriteElementString('command', 'noun', $NsCommand, $noun)
    Write-Description $W $Page.Synopsis
    $W.WriteEndElement()

    Write-Description $W $Page.Description

    $W.WriteStartElement('command', 'syntax', $NsCommand)
    foreach ($item in $Page.Syntax) {
        $W.WriteStartElement('command', 'syntaxItem', $NsCommand)
        $W.WriteElementString('maml', 'name', $NsMaml, $Page.Name)
        foreach ($e in $item.Parameters) { Write-Parameter $W $e.Doc $e.Block $true }
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteStartElement('command', 'parameters', $NsCommand)
    foreach ($doc in $Page.Parameters) { Write-Parameter $W $doc $doc.Blocks[0] $false }
    $W.WriteEndElement()

    foreach ($kind in @(@('inputTypes', 'inputType', $Page.Inputs), @('returnValues', 'returnValue', $Page.Outputs))) {
        $W.WriteStartElement('command', $kind[0], $NsCommand)
        foreach ($t in $kind[2]) {
            $W.WriteStartElement('command', $kind[1], $NsCommand)
            $W.WriteStartElement('dev', 'type', $NsDev)
            $W.WriteElementString('maml', 'name', $NsMaml, $t.TypeName)
            $W.WriteEndElement()
            Write-Description $W $t.Description
            $W.WriteEndElement()
        }
        $W.WriteEndElement()
    }

    $W.WriteStartElement('maml', 'alertSet', $NsMaml)
    $W.WriteStartElement('maml', 'alert', $NsMaml)
    Write-Para $W $Page.Notes
    $W.WriteEndElement()
    $W.WriteEndElement()

    $W.WriteStartElement('command', 'examples', $NsCommand)
    foreach ($e in $Page.Examples) {
        $W.WriteStartElement('command', 'example', $NsCommand)
        $W.WriteElementString('maml', 'title', $NsMaml, "--------- $($e.Title) ---------")
        $W.WriteElementString('dev', 'code', $NsDev, ($e.Code -join "`n`n"))
        $W.WriteStartElement('dev', 'remarks', $NsDev)
        # The trailing empty paragraph leaves a blank line before the next example's title.
        Write-Para $W (@($e.Remarks) + '')
        $W.WriteEndElement()
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteStartElement('command', 'relatedLinks', $NsCommand)
    foreach ($l in $Page.Links) {
        $W.WriteStartElement('maml', 'navigationLink', $NsMaml)
        $W.WriteElementString('maml', 'linkText', $NsMaml, $l.Text)
        $W.WriteElementString('maml', 'uri', $NsMaml, $l.Uri)
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteEndElement()
}

#endregion

# Resolve the pages.
$files = foreach ($source in $SourcePath) {
    $full = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($source)
    if (Test-Path -LiteralPath $full -PathType Container) {
        Get-ChildItem -LiteralPath $full -Filter *.md -File | Sort-Object Name | ForEach-Object FullName
    }
    elseif (Test-Path -LiteralPath $full -PathType Leaf) { $full }
    else { throw "Help source '$source' does not exist." }
}
$files = @($files)
if ($files.Count -eq 0) { throw "No *.md help page found in '$($SourcePath -join "', '")'." }

$output = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($OutputPath)
$outputName = [System.IO.Path]::GetFileName($output)

# Parse and check every page before writing anything.
$pages = foreach ($f in $files) { Read-HelpPage $f }
$pages = @($pages)
$modules = @($pages | ForEach-Object { $_.FrontMatter['Module Name'] } | Sort-Object -Unique)
if ($modules.Count -gt 1) { throw "The help pages name more than one module: $($modules -join ', ')." }
foreach ($page in $pages) {
    if ($page.FrontMatter['external help file'] -ne $outputName) {
        throw "$($page.File):1: the page declares 'external help file: $($page.FrontMatter['external help file'])', but the output file is '$outputName'."
    }
}

# Write to a temporary file beside the target, then move it into place: a failure never leaves
# half a help file.
$dir = [System.IO.Path]::GetDirectoryName($output)
if ($dir) { $null = [System.IO.Directory]::CreateDirectory($dir) }
$temp = "$output.$([System.IO.Path]::GetRandomFileName()).tmp"
$settings = [System.Xml.XmlWriterSettings]::new()
$settings.Encoding = [System.Text.UTF8Encoding]::new($false)
$settings.Indent = $true
$settings.IndentChars = '  '
$settings.NewLineChars = "`n"
$settings.NewLineHandling = [System.Xml.NewLineHandling]::Entitize
try {
    $writer = [System.Xml.XmlWriter]::Create($temp, $settings)
    try {
        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems')
        $writer.WriteAttributeString('schema', 'maml')
        foreach ($page in $pages) { Write-Command $writer $page }
        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    }
    finally { $writer.Dispose() }
    Move-Item -LiteralPath $temp -Destination $output -Force
}
finally {
    if (Test-Path -LiteralPath $temp) { Remove-Item -LiteralPath $temp -Force }
}

Write-Verbose "Wrote help for $($pages.Count) cmdlet(s) ($(($pages | ForEach-Object Name) -join ', ')) to $output."
Get-Item -LiteralPath $output
