using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EksSecurity.AwsTestServer.Protocols;

/// <summary>
/// Where the official service models come from, found at run time (no copy of them lives in this
/// project): EKS and IAM from the project's <c>shared/aws-models/</c> beside the repository, EC2,
/// KMS, STS and SSM from the data directory of botocore, which the aws CLI installs. Each model is
/// trimmed on load to the operations the server implements and the shapes they reach.
/// </summary>
public static class ModelSources
{
    /// <summary>Overrides the folder holding eks/ and iam/ (default: &lt;repo&gt;/../shared/aws-models).</summary>
    public const string SharedModelsVariable = "EKSSECURITY_AWS_MODELS";
    /// <summary>Overrides botocore's data folder (default: found through the aws CLI's Python).</summary>
    public const string BotocoreDataVariable = "EKSSECURITY_BOTOCORE_DATA";
    public const string SolutionFile = "EksSecurity.PowerShell.sln";

    /// <summary>Per service: where its model lives and the API version folder botocore keeps it in.</summary>
    internal static readonly IReadOnlyList<(string Service, bool Shared, string Folder, string ApiVersion)> Services =
    [
        ("eks", true, "eks", "2017-11-01"),
        ("iam", true, "iam", "2010-05-08"),
        ("sts", false, "sts", "2011-06-15"),
        ("ec2", false, "ec2", "2016-11-15"),
        ("kms", false, "kms", "2014-11-01"),
        ("ssm", false, "ssm", "2014-11-06"),
    ];

    private static readonly HashSet<string> KeepShapeKeys = ["type", "members", "member", "key", "value", "required", "locationName",
        "flattened", "timestampFormat", "error", "exception", "fault", "enum", "min", "max", "xmlNamespace", "payload"];
    private static readonly HashSet<string> KeepMemberKeys = ["shape", "location", "locationName", "flattened", "queryName",
        "timestampFormat", "xmlNamespace", "idempotencyToken", "jsonvalue"];
    private static readonly HashSet<string> KeepMetadataKeys = ["apiVersion", "endpointPrefix", "jsonVersion", "protocol", "signingName",
        "targetPrefix", "xmlNamespace", "serviceId", "globalEndpoint"];

    private static readonly Lazy<string> s_shared = new(FindSharedModels);
    private static readonly Lazy<string> s_botocore = new(FindBotocoreData);

    /// <summary>The folder holding eks/ and iam/ service-2.json.</summary>
    public static string SharedModelsDirectory => s_shared.Value;

    /// <summary>botocore's data/ folder (ec2/2016-11-15/service-2.json.gz, …).</summary>
    public static string BotocoreDataDirectory => s_botocore.Value;

    /// <summary>Every service model, trimmed to <paramref name="operations"/> (service → operation names).</summary>
    public static JsonObject LoadAll(IReadOnlyDictionary<string, IEnumerable<string>> operations)
    {
        var root = new JsonObject();
        foreach (var (service, shared, folder, apiVersion) in Services)
        {
            var dir = shared
                ? Path.Combine(SharedModelsDirectory, folder)
                : VersionFolder(Path.Combine(BotocoreDataDirectory, folder), apiVersion);
            root[service] = LoadTrimmed(service, dir, operations[service]);
        }
        return root;
    }

    /// <summary>One model folder (service-2.json[.gz], paginators-1.json[.gz]) trimmed to the given operations.</summary>
    public static JsonObject LoadTrimmed(string service, string folder, IEnumerable<string> operationNames)
    {
        using var model = ReadJson(Path.Combine(folder, "service-2.json"))
            ?? throw new InvalidOperationException($"The {service} model is missing: no service-2.json[.gz] in {folder}.");
        using var paginatorDoc = ReadJson(Path.Combine(folder, "paginators-1.json"));
        var paginators = paginatorDoc is not null && paginatorDoc.RootElement.TryGetProperty("pagination", out var p) ? p : default;
        var shapes = model.RootElement.GetProperty("shapes");
        var allOps = model.RootElement.GetProperty("operations");

        var keep = new HashSet<string>(StringComparer.Ordinal);
        var todo = new Stack<string>();
        void Reach(JsonElement reference)
        {
            if (reference.ValueKind == JsonValueKind.Object && reference.TryGetProperty("shape", out var s) && s.GetString() is { } name && keep.Add(name))
                todo.Push(name);
        }

        var operations = new JsonObject();
        foreach (var name in operationNames.Order(StringComparer.Ordinal))
        {
            if (!allOps.TryGetProperty(name, out var op))
                throw new InvalidOperationException($"The {service} model in {folder} has no operation {name}, which the test server implements.");
            var o = new JsonObject();
            foreach (var key in new[] { "name", "http", "input", "output", "errors" })
                if (op.TryGetProperty(key, out var v)) o[key] = JsonNode.Parse(v.GetRawText());
            if (op.TryGetProperty("input", out var input)) Reach(input);
            if (op.TryGetProperty("output", out var output)) Reach(output);
            if (op.TryGetProperty("errors", out var errors)) foreach (var e in errors.EnumerateArray()) Reach(e);
            if (paginators.ValueKind == JsonValueKind.Object && paginators.TryGetProperty(name, out var pag))
                o["paginator"] = JsonNode.Parse(pag.GetRawText());
            operations[name] = o;
        }
        while (todo.Count > 0)
        {
            var shape = shapes.GetProperty(todo.Pop());
            if (shape.TryGetProperty("members", out var members))
                foreach (var m in members.EnumerateObject()) Reach(m.Value);
            foreach (var k in new[] { "member", "key", "value" })
                if (shape.TryGetProperty(k, out var r)) Reach(r);
        }

        var outShapes = new JsonObject();
        foreach (var name in keep.Order(StringComparer.Ordinal))
        {
            var shape = shapes.GetProperty(name);
            var s = new JsonObject();
            foreach (var prop in shape.EnumerateObject())
            {
                if (!KeepShapeKeys.Contains(prop.Name)) continue;
                s[prop.Name] = prop.Name switch
                {
                    // Members keep the model's order: the order AWS answers in.
                    "members" => new JsonObject(prop.Value.EnumerateObject().Select(m =>
                        KeyValuePair.Create(m.Name, (JsonNode?)Filter(m.Value, KeepMemberKeys)))),
                    "member" or "key" or "value" => Filter(prop.Value, KeepMemberKeys),
                    _ => JsonNode.Parse(prop.Value.GetRawText()),
                };
            }
            outShapes[name] = s;
        }
        var meta = new JsonObject();
        foreach (var prop in model.RootElement.GetProperty("metadata").EnumerateObject())
            if (KeepMetadataKeys.Contains(prop.Name)) meta[prop.Name] = JsonNode.Parse(prop.Value.GetRawText());
        return new JsonObject { ["metadata"] = meta, ["operations"] = operations, ["shapes"] = outShapes };
    }

    private static JsonObject Filter(JsonElement element, HashSet<string> keys)
    {
        var o = new JsonObject();
        foreach (var prop in element.EnumerateObject())
            if (keys.Contains(prop.Name)) o[prop.Name] = JsonNode.Parse(prop.Value.GetRawText());
        return o;
    }

    /// <summary>path, else path.gz (botocore ships most models gzipped); null when neither exists.</summary>
    public static JsonDocument? ReadJson(string path)
    {
        if (File.Exists(path))
        {
            using var plain = File.OpenRead(path);
            return JsonDocument.Parse(plain);
        }
        if (File.Exists(path + ".gz"))
        {
            using var file = File.OpenRead(path + ".gz");
            using var gz = new GZipStream(file, CompressionMode.Decompress);
            return JsonDocument.Parse(gz);
        }
        return null;
    }

    private static bool HasModel(string folder) =>
        File.Exists(Path.Combine(folder, "service-2.json")) || File.Exists(Path.Combine(folder, "service-2.json.gz"));

    /// <summary>botocore keeps one folder per API version: the one the server speaks, else the newest.</summary>
    private static string VersionFolder(string serviceFolder, string apiVersion)
    {
        var exact = Path.Combine(serviceFolder, apiVersion);
        if (HasModel(exact)) return exact;
        var newest = Directory.Exists(serviceFolder)
            ? Directory.GetDirectories(serviceFolder).Where(HasModel).Order(StringComparer.Ordinal).LastOrDefault()
            : null;
        return newest ?? throw new InvalidOperationException(
            $"botocore's data folder {BotocoreDataDirectory} has no model under {serviceFolder}. {InstallHint}");
    }

    // ------------------------------------------------------------------ shared/aws-models

    private static string FindSharedModels()
    {
        if (Environment.GetEnvironmentVariable(SharedModelsVariable) is { Length: > 0 } overridden)
        {
            if (HasModel(Path.Combine(overridden, "eks"))) return Path.GetFullPath(overridden);
            throw new InvalidOperationException($"{SharedModelsVariable}={overridden} holds no eks/service-2.json.");
        }
        var tried = new List<string>();
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory(), BuildRepositoryRoot(), SourceDirectory() })
        {
            if (FindRepository(start) is not { } repo) { if (start is not null) tried.Add(start); continue; }
            var shared = Path.GetFullPath(Path.Combine(repo, "..", "shared", "aws-models"));
            if (HasModel(Path.Combine(shared, "eks"))) return shared;
            tried.Add(shared);
        }
        throw new InvalidOperationException(
            $"The AWS test server needs the project's EKS and IAM service models in shared/aws-models beside the repository (the folder holding {SolutionFile}); " +
            $"not found (looked from: {string.Join(", ", tried.Distinct())}). Set {SharedModelsVariable} to that folder.");
    }

    /// <summary>The folder holding the solution, walking up from <paramref name="start"/>.</summary>
    public static string? FindRepository(string? start)
    {
        for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile))) return dir.FullName;
        return null;
    }

    /// <summary>The repository this assembly was built from (stamped by the project file), for binaries built outside it (--artifacts-path).</summary>
    private static string? BuildRepositoryRoot() =>
        typeof(ModelSources).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path) ?? "";

    // ------------------------------------------------------------------ botocore

    internal const string InstallHint =
        "The EC2, KMS, STS and SSM models come from botocore, which the aws CLI installs: install Debian's awscli (apt-get install awscli), " +
        "or set " + BotocoreDataVariable + " to a botocore/data folder.";

    private const string PythonProbe = "import botocore,os;print(os.path.dirname(botocore.__file__))";

    private static string FindBotocoreData()
    {
        if (Environment.GetEnvironmentVariable(BotocoreDataVariable) is { Length: > 0 } overridden)
        {
            if (Directory.Exists(Path.Combine(overridden, "ec2"))) return Path.GetFullPath(overridden);
            throw new InvalidOperationException($"{BotocoreDataVariable}={overridden} is not a botocore data folder (no ec2/ inside).");
        }
        var notes = new List<string>();
        var aws = FindOnPath("aws");
        if (aws is null) notes.Add("no aws on PATH");
        else
        {
            var (code, stdout, stderr) = Run(aws, ["--version"]);
            notes.Add(code == 0 ? $"{aws}: {(stdout + stderr).Trim()}" : $"'{aws} --version' failed ({code}): {(stdout + stderr).Trim()}");
        }

        var pythons = new List<string>();
        if (aws is not null && Shebang(aws) is { } interpreter) pythons.Add(interpreter);
        pythons.Add("python3");
        pythons.Add("python");
        foreach (var python in pythons.Distinct(StringComparer.Ordinal))
        {
            var (code, output, error) = Run(python, ["-c", PythonProbe]);
            var dir = output.Trim().Split('\n').LastOrDefault()?.Trim();
            if (code == 0 && !string.IsNullOrEmpty(dir) && Directory.Exists(Path.Combine(dir, "data", "ec2")))
                return Path.Combine(dir, "data");
            notes.Add($"{python}: " + (code == 0 ? $"botocore at {dir} has no data/ec2" : $"no botocore ({(code == -1 ? error.Trim() : "import failed")})"));
        }

        // Debian's python3-botocore, and a botocore next to the aws script (pip --user, venvs).
        var known = new List<string> { "/usr/lib/python3/dist-packages/botocore/data", "/usr/share/awscli/botocore/data" };
        if (aws is not null && Path.GetDirectoryName(Path.GetDirectoryName(aws)) is { } prefix && Directory.Exists(Path.Combine(prefix, "lib")))
            foreach (var lib in Directory.GetDirectories(Path.Combine(prefix, "lib"), "python3*"))
                known.Add(Path.Combine(lib, "site-packages", "botocore", "data"));
        foreach (var dir in known)
            if (Directory.Exists(Path.Combine(dir, "ec2"))) return dir;

        throw new InvalidOperationException(
            $"The AWS test server could not find botocore's service models. {InstallHint} (Looked: {string.Join("; ", notes)}.)");
    }

    private static string? FindOnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>The Python interpreter a script's #! line names (#!/usr/bin/python3, #!/usr/bin/env python3); null for anything else.</summary>
    public static string? Shebang(string script)
    {
        try
        {
            using var reader = new StreamReader(script, Encoding.UTF8);
            var buffer = new char[512];
            var read = reader.Read(buffer, 0, buffer.Length);
            var first = new string(buffer, 0, read).Split('\n')[0].Trim();
            if (!first.StartsWith("#!", StringComparison.Ordinal)) return null;
            var words = first[2..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0) return null;
            var interpreter = Path.GetFileName(words[0]) == "env" ? words.Skip(1).FirstOrDefault(w => !w.StartsWith('-')) : words[0];
            return interpreter is not null && Path.GetFileName(interpreter).StartsWith("python", StringComparison.Ordinal) ? interpreter : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Runs a program briefly; (-1, "", reason) when it cannot be started or does not finish.</summary>
    private static (int Code, string Stdout, string Stderr) Run(string file, IReadOnlyList<string> args)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(info);
            if (process is null) return (-1, "", "could not start");
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                return (-1, "", "timed out");
            }
            return (process.ExitCode, stdout.Result, stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, "", ex.Message);
        }
    }
}
