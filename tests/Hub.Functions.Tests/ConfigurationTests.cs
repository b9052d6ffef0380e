using Hub.Functions.Tests.Support;
using Microsoft.Extensions.Options;

namespace Hub.Functions.Tests;

/// <summary>Settings of the functions host are checked at start: a bad one stops it, saying which and why.</summary>
public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("Sms:Kannel:BaseUrl=http://127.0.0.1:13013", "Sms:Kannel:Username and Password are required")]
    [InlineData("Functions:TimeZone=Mars/Olympus", "Functions:TimeZone is not a time zone this machine knows")]
    [InlineData("Notifications:DefaultLanguage=fr", "DefaultLanguage")]
    [InlineData("Notifications:Channels:Sms:MessagesPerSecond=-1", "Notifications:Channels:*:MessagesPerSecond")]
    [InlineData("Functions:Timers:PollInterval=00:00:00", "Functions:Timers:PollInterval")]
    public async Task A_bad_setting_stops_the_host_with_the_reason(string setting, string reason)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => FunctionsHost.StartAsync([setting]));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public async Task Kannel_without_a_delivery_report_secret_stops_the_host()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => FunctionsHost.StartAsync(
            ["Sms:Kannel:BaseUrl=http://127.0.0.1:13013", "Sms:Kannel:Username=u", "Sms:Kannel:Password=p", "Sms:Kannel:DlrUrl=http://127.0.0.1:5091"]));
        Assert.Contains("Sms:Kannel:DlrSecret must have at least 16 characters", error.Message);
    }
}
