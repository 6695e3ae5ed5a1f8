using System.Globalization;
using EksSecurity.KubeTestServer.Scenario;
using EksSecurity.TestData;

namespace EksSecurity.KubeTestServer;

/// <summary>
/// dotnet run --project tests/EksSecurity.KubeTestServer -- (--scenario FILE | --snapshot FILE | --synthetic tiny|small|large [--pods N] [--nodes N])
///     [--port N] [--kubeconfig PATH] [--token T] [--metrics] [--eks-token-validator URL --eks-cluster NAME]
/// Serves until Ctrl+C, then prints the request log. With --eks-token-validator, EKS tokens (k8s-aws-v1.…) are
/// checked by POSTing them to that URL (the AWS test server's /_test/validate-eks-token), as the EKS authenticator
/// checks them with STS, and the caller's IAM ARN becomes the Kubernetes user.
/// </summary>
public static class Program
{
    private const string Usage =
        "usage: EksSecurity.KubeTestServer (--scenario FILE | --snapshot FILE | --synthetic tiny|small|large [--pods N] [--nodes N] [--namespaces N])\n" +
        "                                  [--port N] [--kubeconfig PATH] [--token TOKEN] [--metrics] [--quiet]\n" +
        "                                  [--eks-token-validator URL --eks-cluster NAME]";

    public static int Main(string[] args)
    {
        string? scenarioPath = null, snapshotPath = null, synthetic = null, kubeconfig = null, validatorUrl = null, eksCluster = null;
        var token = KubeScenario.AdminToken;
        int port = 0;
        int? pods = null, nodes = null, namespaces = null;
        bool metrics = false, quiet = false;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            try
            {
                switch (args[i])
                {
                    case "--scenario": scenarioPath = Next(); break;
                    case "--snapshot": snapshotPath = Next(); break;
                    case "--synthetic": synthetic = Next(); break;
                    case "--pods": pods = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--nodes": nodes = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--namespaces": namespaces = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--port": port = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--kubeconfig": kubeconfig = Next(); break;
                    case "--token": token = Next(); break;
                    case "--metrics": metrics = true; break;
                    case "--eks-token-validator": validatorUrl = Next(); break;
                    case "--eks-cluster": eksCluster = Next(); break;
                    case "--quiet": quiet = true; break;
                    case "-h" or "--help":
                        Console.WriteLine(Usage);
                        return 0;
                    default:
                        Console.Error.WriteLine($"unknown argument '{args[i]}'\n{Usage}");
                        return 2;
                }
            }
            catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
            {
                Console.Error.WriteLine($"{e.Message}\n{Usage}");
                return 2;
            }
        }

        KubeScenario scenario;
        if (scenarioPath is not null) scenario = KubeScenario.Load(scenarioPath);
        else if (snapshotPath is not null) scenario = KubeScenario.FromSnapshotFile(snapshotPath);
        else if (synthetic is not null)
        {
            var options = SyntheticClusterOptions.ForScale(synthetic);
            if (pods is { } p) options = options with { Pods = p };
            if (nodes is { } n) options = options with { Nodes = n };
            if (namespaces is { } ns) options = options with { Namespaces = ns };
            scenario = KubeScenario.FromSynthetic(options);
        }
        else
        {
            Console.Error.WriteLine($"one of --scenario, --snapshot or --synthetic is required (format: tests/EksSecurity.KubeTestServer/README.md)\n{Usage}");
            return 2;
        }
        if (metrics) scenario.MetricsApi = true;

        if ((validatorUrl is null) != (eksCluster is null))
        {
            Console.Error.WriteLine($"--eks-token-validator and --eks-cluster go together\n{Usage}");
            return 2;
        }
        using var validatorClient = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var server = new KubeTestServer(scenario, new KubeTestServerOptions
        {
            Port = port,
            Log = line => Console.Error.WriteLine(line),
            EksTokenValidator = validatorUrl is null ? null : token => RemoteEksTokenValidator.Validate(validatorClient, validatorUrl, eksCluster!, token),
        });
        var uri = server.Start();
        kubeconfig ??= Path.Combine(Path.GetTempPath(), $"kube-test-server-{uri.Port}.kubeconfig");
        server.WriteKubeconfig(kubeconfig, token);
        Console.WriteLine($"Listening on {uri} (Kubernetes {scenario.ServerVersion.GitVersion}); Ctrl+C to stop.");
        Console.WriteLine($"  kubectl --kubeconfig {kubeconfig} get pods -A");
        foreach (var user in scenario.Users.Where(u => u.Token is not null))
            Console.WriteLine($"  token {user.Token}: {user.Name} [{string.Join(", ", user.Groups)}]");
        // The web host handles SIGINT/SIGTERM itself (it stops and cancels the signal): wait for that.
        server.Stopping.WaitHandle.WaitOne();
        if (!quiet)
            foreach (var entry in server.RequestLog) Console.WriteLine(entry);
        Console.WriteLine($"{server.RequestLog.Count} requests, {server.WriteLog.Count} writes, {server.SecretDataRequests} secret data requests.");
        return 0;
    }
}
