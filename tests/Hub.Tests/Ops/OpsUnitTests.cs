using Hub.Infrastructure.Access;
using System.Text.Json;
using Hub.Adapters.Ops;
using Hub.Infrastructure.Monitoring;

namespace Hub.Tests.Ops;

/// <summary>The small rules of the operations view: password hashes, failure places, retried envelopes.</summary>
public sealed class OpsUnitTests
{
    [Fact]
    public void Password_hash_verifies_the_right_password_only()
    {
        var hash = PasswordDigest.Hash("correct horse");
        Assert.StartsWith("PBKDF2-SHA256$", hash);
        Assert.True(PasswordDigest.Verify("correct horse", hash));
        Assert.False(PasswordDigest.Verify("correct horsE", hash));
        Assert.False(PasswordDigest.Verify("correct horse", "PBKDF2-SHA256$1$AAAA$AAAA"));
        Assert.False(PasswordDigest.Verify("correct horse", "plain-text"));
        Assert.NotEqual(hash, PasswordDigest.Hash("correct horse"));
    }

    [Fact]
    public void Failure_point_is_the_first_frame_in_our_code_without_the_file()
    {
        const string trace = """
               at System.Net.Http.HttpClient.SendAsync(HttpRequestMessage request) in /src/HttpClient.cs:line 10
               at Hub.Adapters.Billing.BillingApiClient.CreateCharge(CreateChargeRequest request) in /work/BillingApiClient.cs:line 42
               at Hub.Adapters.Billing.CreateBillingChargeConsumer.Consume(ConsumeContext`1 context)
            """;
        Assert.Equal("Hub.Adapters.Billing.BillingApiClient.CreateCharge(CreateChargeRequest request)",
            FailedMessageCapture.FailurePointOf(trace));
    }

    [Fact]
    public void Retried_envelope_gets_a_fresh_retry_budget_the_retry_marker_and_the_edit()
    {
        var envelope = """{"messageId":"a","headers":{"MT-Redelivery-Count":"3","MT-Fault-Message":"boom","Keep":"yes"},"message":{"orderId":"1","amount":5}}""";
        var rewritten = JsonDocument.Parse(FailedMessageRetry.RewriteEnvelope(envelope, 77,
            System.Text.Json.Nodes.JsonNode.Parse("""{"orderId":"1","amount":6}""")!.AsObject())).RootElement;
        var headers = rewritten.GetProperty("headers");
        Assert.False(headers.TryGetProperty("MT-Redelivery-Count", out _));
        Assert.False(headers.TryGetProperty("MT-Fault-Message", out _));
        Assert.Equal("yes", headers.GetProperty("Keep").GetString());
        Assert.Equal("77", headers.GetProperty(FailedMessageStatus.RetryHeader).GetString());
        Assert.Equal(6, rewritten.GetProperty("message").GetProperty("amount").GetInt32());
        Assert.Equal("a", rewritten.GetProperty("messageId").GetString());
    }

    [Fact]
    public void Group_is_the_same_for_the_same_exception_endpoint_and_type_only()
    {
        var a = FailedMessageCapture.GroupIdOf("System.Net.Http.HttpRequestException", "billing-gateway", "CreateBillingCharge");
        Assert.Equal(a, FailedMessageCapture.GroupIdOf("System.Net.Http.HttpRequestException", "billing-gateway", "CreateBillingCharge"));
        Assert.NotEqual(a, FailedMessageCapture.GroupIdOf("System.TimeoutException", "billing-gateway", "CreateBillingCharge"));
        Assert.NotEqual(a, FailedMessageCapture.GroupIdOf("System.Net.Http.HttpRequestException", "erp-gateway", "CreateBillingCharge"));
    }
}
