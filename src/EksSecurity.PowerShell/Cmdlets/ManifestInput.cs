using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text;

namespace EksSecurity.PowerShell.Cmdlets;

/// <summary>
/// Gathers manifest input across ProcessRecord calls: paths, and text or objects from the
/// pipeline. `helm template` output arrives one line per pipeline object, so strings are joined
/// back into one stream before reading.
/// </summary>
internal sealed class ManifestInput
{
    private readonly List<string> _paths = [];
    private readonly StringBuilder _text = new();
    private readonly List<ManifestText> _texts = [];
    private int _objectCount;

    public bool IsEmpty => _paths.Count == 0 && _text.Length == 0 && _texts.Count == 0;

    public void AddPaths(IEnumerable<string> paths) => _paths.AddRange(paths);

    public void AddInput(object? item, PSCmdlet cmdlet)
    {
        var value = item is PSObject ps ? ps.BaseObject : item;
        switch (value)
        {
            case null:
                return;
            case string text when text.Contains('\n'):
                // A whole document or file (Get-Content -Raw): its own stream, never glued to a neighbour.
                FlushLines();
                _texts.Add(new ManifestText { Name = $"<input text {_texts.Count + 1}>", Text = text });
                return;
            case string line:
                _text.Append(line).Append('\n');
                return;
            case FileInfo file:
                _paths.Add(file.FullName);
                return;
            default:
                // Objects (hashtables, PSCustomObjects from ConvertFrom-Json or a YAML module) go through JSON.
                _objectCount++;
                // The PSObject itself, not its base: a PSCustomObject's properties live on the wrapper.
                var json = cmdlet.InvokeCommand.InvokeScript("param($o) ConvertTo-Json -InputObject $o -Depth 100 -Compress", true,
                    PipelineResultTypes.None, null, item);
                _texts.Add(new ManifestText { Name = $"<input object {_objectCount}>", Text = json.Count > 0 ? json[0].ToString() : "null" });
                return;
        }
    }

    private void FlushLines()
    {
        if (_text.Length == 0) return;
        _texts.Add(new ManifestText { Name = $"<pipeline lines {_texts.Count + 1}>", Text = _text.ToString() });
        _text.Clear();
    }

    public ManifestRequest ToRequest(IReadOnlyList<string>? include, IReadOnlyList<string>? exclude)
    {
        FlushLines();
        return new ManifestRequest { Paths = _paths, Include = include, Exclude = exclude, Texts = _texts.ToList() };
    }
}
