using System.Globalization;
using System.Runtime.InteropServices;

namespace EksSecurity.AwsTestServer;

/// <summary>
/// dotnet run --project tests/EksSecurity.AwsTestServer -- --scenario FILE [--port N]
/// Serves the scenario on http://127.0.0.1:N/ until Ctrl+C; point the aws CLI at it with
/// --endpoint-url and the scenario's access keys.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        string? scenarioPath = null;
        var port = 0;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--scenario" when i + 1 < args.Length: scenarioPath = args[++i]; break;
                case "--port" when i + 1 < args.Length: port = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "-h" or "--help":
                    Console.WriteLine("usage: EksSecurity.AwsTestServer --scenario FILE [--port N]");
                    return 0;
                default:
                    Console.Error.WriteLine($"unknown argument '{args[i]}'; usage: --scenario FILE [--port N]");
                    return 2;
            }
        }
        if (scenarioPath is null)
        {
            Console.Error.WriteLine("--scenario FILE is required (format: tests/EksSecurity.AwsTestServer/README.md)");
            return 2;
        }
        using var server = AwsTestServer.FromFile(scenarioPath);
        Uri uri;
        try
        {
            uri = server.Start(port);
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine("error: " + ex.Message);
            return 3;
        }
        Console.WriteLine($"Listening on {uri} (region {server.Scenario.Region}); Ctrl+C to stop.");
        Console.WriteLine($"  aws --endpoint-url {uri.ToString().TrimEnd('/')} --region {server.Scenario.Region} eks list-clusters");
        using var done = new ManualResetEventSlim();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; done.Set(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; done.Set(); });
        done.Wait();
        foreach (var entry in server.RequestLog) Console.WriteLine(entry);
        return 0;
    }
}
