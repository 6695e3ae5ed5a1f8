using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Runtime;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Rules.Runtime.WorkloadFixtures;

namespace EksSecurity.Tests.Rules.Runtime;

public class SandboxedRuntimeAvailableTests
{
    private static V1RuntimeClass Class(string name, string handler) => new() { Metadata = TestSnapshots.Meta(name), Handler = handler };

    [Fact]
    public void Nothing_sandboxed_warns()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Kubernetes.RuntimeClasses!.Items!.Add(Class("nvidia", "nvidia")));
        var finding = Assert.Single(TestSnapshots.Run<SandboxedRuntimeAvailable>(snapshot));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Equal(Severity.Informational, finding.Severity);
        Assert.Contains(finding.Evidence, e => e == "RuntimeClass nvidia: handler = nvidia");
    }

    [Fact]
    public void Gvisor_runtime_class_passes_and_lists_its_pods()
    {
        var pod = BarePod("untrusted", "builds", Spec(Container("job")));
        pod.Spec.RuntimeClassName = "gvisor";
        var snapshot = Snapshot(pod).With(s => s.Kubernetes.RuntimeClasses!.Items!.Add(Class("gvisor", "runsc")));
        var finding = Assert.Single(TestSnapshots.Run<SandboxedRuntimeAvailable>(snapshot));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("builds/untrusted"));
    }

    [Fact]
    public void Fargate_profile_passes()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Aws.FargateProfiles!.Items!.Add(new EksFargateProfile { FargateProfileName = "untrusted", Status = "ACTIVE", Selectors = [new EksFargateProfileSelector { Namespace = "builds" }] }));
        var finding = Assert.Single(TestSnapshots.Run<SandboxedRuntimeAvailable>(snapshot));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("Fargate profile untrusted", finding.Message);
    }

    [Fact]
    public void Denied_runtime_classes_are_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Kubernetes.RuntimeClasses = Section<V1RuntimeClass>.Denied("list runtimeclasses.node.k8s.io"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<SandboxedRuntimeAvailable>(snapshot)).Status);
    }
}

public class NoSudoOrSshInContainersTests
{
    private static V1Container With(string name, string[]? command = null, string[]? args = null, params int[] ports)
    {
        var c = Container(name);
        c.Command = command?.ToList();
        c.Args = args?.ToList();
        c.Ports = ports.Length == 0 ? null : ports.Select(p => new V1ContainerPort { ContainerPort = p }).ToList();
        return c;
    }

    [Theory]
    [InlineData(new[] { "sudo", "-u", "app", "/app/run" }, null)]
    [InlineData(new[] { "/bin/sh", "-c" }, new[] { "sudo /app/run && sleep 1" })]
    [InlineData(new[] { "/usr/sbin/sshd", "-D" }, null)]
    [InlineData(new[] { "dropbear", "-F" }, null)]
    public void Sudo_or_ssh_server_warns(string[] command, string[]? args)
    {
        var finding = Assert.Single(TestSnapshots.Run<NoSudoOrSshInContainers>(Snapshot(Deployment("web", "shop", Spec(With("app", command, args))))));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Equal(Severity.Low, finding.Severity);
    }

    [Theory]
    [InlineData(22)]
    [InlineData(2222)]
    public void Ssh_port_warns(int port)
    {
        var finding = Assert.Single(TestSnapshots.Run<NoSudoOrSshInContainers>(Snapshot(Deployment("web", "shop", Spec(With("app", ports: port))))));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("exposes SSH port"));
    }

    [Fact]
    public void Ordinary_entrypoint_passes()
    {
        var finding = Assert.Single(TestSnapshots.Run<NoSudoOrSshInContainers>(Snapshot(Deployment("web", "shop", Spec(With("app", ["/app/server"], ["--sudoers-file-not-a-command"], 8080))))));
        Assert.Equal(FindingStatus.Pass, finding.Status);
    }

    [Fact]
    public void Init_container_with_sudo_warns()
    {
        var spec = Spec(With("app")).WithInit(With("setup", ["sudo", "chown", "app", "/data"]));
        var finding = Assert.Single(TestSnapshots.Run<NoSudoOrSshInContainers>(Snapshot(Deployment("web", "shop", spec))));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains("initContainers[setup]", finding.Message);
    }

    [Fact]
    public void Ports_are_configurable()
    {
        var finding = Assert.Single(TestSnapshots.Run<NoSudoOrSshInContainers>(Snapshot(Deployment("web", "shop", Spec(With("app", ports: 22)))), new RuleSettings { SshPorts = [] }));
        Assert.Equal(FindingStatus.Pass, finding.Status);
    }

    [Fact]
    public void Denied_pods_are_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Kubernetes.Pods = Section<V1Pod>.Denied("list pods"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<NoSudoOrSshInContainers>(snapshot)).Status);
    }
}
