using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules.Net;
using EksSecurity.Engine.Snapshot;
using static EksSecurity.Tests.Rules.Net.VpcFixtures;

namespace EksSecurity.Tests.Rules.Net;

public class VpcFlowLogsEnabledTests
{
    private static EksSecurityFinding Run(params Ec2FlowLog[] logs) => Run(Cluster([NodeGroup("general", "subnet-a", "subnet-b")], []), logs);

    private static EksSecurityFinding Run(ClusterSnapshot snapshot, params Ec2FlowLog[] logs)
    {
        snapshot.Aws.FlowLogs!.Items!.AddRange(logs);
        return Assert.Single(TestSnapshots.Run<VpcFlowLogsEnabled>(snapshot));
    }

    [Fact]
    public void An_active_vpc_flow_log_of_all_traffic_passes()
    {
        var finding = Run(FlowLog(Vpc));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal(("Vpc", Vpc), (finding.ResourceType, finding.ResourceName));
        Assert.Contains("fl-vpc-1 on vpc-1: ACTIVE, traffic ALL, to cloud-watch-logs /vpc/flow, delivery SUCCESS", finding.Evidence);
    }

    [Fact]
    public void No_flow_log_fails_naming_the_node_subnets()
    {
        var finding = Run();
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("subnet-a (node group general)", finding.Message);
        Assert.Contains("no flow log on vpc-1 or its node subnets", finding.Evidence);
    }

    [Fact]
    public void An_inactive_vpc_flow_log_does_not_count()
    {
        Assert.Equal(FindingStatus.Fail, Run(FlowLog(Vpc, status: "INACTIVE")).Status);
    }

    [Fact]
    public void Every_node_subnet_with_its_own_flow_log_passes_and_one_missing_fails()
    {
        Assert.Equal(FindingStatus.Pass, Run(FlowLog("subnet-a"), FlowLog("subnet-b")).Status);
        var partial = Run(FlowLog("subnet-a"));
        Assert.Equal(FindingStatus.Fail, partial.Status);
        Assert.Contains("subnet-b", partial.Message);
        Assert.DoesNotContain("subnet-a (", partial.Message);
    }

    [Fact]
    public void A_flow_log_that_fails_to_deliver_or_records_only_rejects_warns()
    {
        var failing = Run(FlowLog(Vpc, delivery: "FAILED"));
        Assert.Equal(FindingStatus.Warning, failing.Status);
        Assert.Contains("Access error", failing.Message);
        var rejects = Run(FlowLog(Vpc, traffic: "REJECT"));
        Assert.Equal(FindingStatus.Warning, rejects.Status);
        Assert.Contains("only REJECT traffic", rejects.Message);
        Assert.Equal(FindingStatus.Pass, Run(FlowLog(Vpc, traffic: "REJECT"), new Ec2FlowLog { FlowLogId = "fl-2", ResourceId = Vpc, FlowLogStatus = "ACTIVE", TrafficType = "ACCEPT" }).Status);
    }

    [Fact]
    public void Node_subnets_unknown_without_a_vpc_flow_log_is_an_error_but_a_vpc_flow_log_is_enough()
    {
        ClusterSnapshot Denied() => Cluster([], []).With(s => s.Aws.Instances = Section<Ec2Instance>.Denied("ec2:DescribeInstances"));
        var finding = Run(Denied());
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("ec2:DescribeInstances", finding.Message);
        Assert.Equal(FindingStatus.Pass, Run(Denied(), FlowLog(Vpc)).Status);
    }

    [Fact]
    public void Flow_logs_not_collected_is_an_error()
    {
        var snapshot = Cluster([], []).With(s => s.Aws.FlowLogs = Section<Ec2FlowLog>.Denied("ec2:DescribeFlowLogs"));
        var finding = Assert.Single(TestSnapshots.Run<VpcFlowLogsEnabled>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("ec2:DescribeFlowLogs", finding.Message);
    }
}
