using System.Net.Http.Json;
using System.Text.Json;
using Hub.Distributed.Tests;
using Hub.TestSupport;
using Hub.Tests.Ops;
using Microsoft.Playwright;

namespace Hub.Ops.BrowserTests;

/// <summary>IT operations at <c>/ops</c> in a real browser: sign in, follow an order, retry what failed; screenshots of each page.</summary>
[Collection("browser")]
public sealed class OpsPageTests(Browser browser, OpsHub hub)
{
    [Fact]
    public async Task Operator_signs_in_and_finds_an_orders_conversation_by_order_number_as_a_diagram()
    {
        var page = await browser.NewPage(hub.BaseUrl);
        await page.GotoAsync("/ops");
        await page.WaitForSelectorAsync("#signin:not([hidden])");
        await Browser.Screenshot(page, "sign-in");
        await page.FillAsync("#username", "ops-operator");
        await page.FillAsync("#password", "wrong");
        await page.ClickAsync("#signinButton");
        await page.WaitForSelectorAsync("#signinError:text-matches('.+')");
        await Browser.SignIn(page, "ops-operator", OpsTestUsers.Password);

        var (_, number) = await hub.PlaceOrder();
        using var ops = await OpsTestUsers.SignInAsync(hub.BaseUrl, "reader");
        await Eventually.Get(() => ops.GetFromJsonAsync<JsonElement[]>($"/ops/api/messages?key={number}")!,
            rows => rows!.Any(r => r.GetProperty("messageType").GetString() == "OrderCompleted"), TimeSpan.FromSeconds(30), "order completed and audited");

        await page.FillAsync("#key", number);
        await page.ClickAsync("#searchButton");
        await page.WaitForSelectorAsync("#rows tr >> text=OrderCompleted");
        await page.ClickAsync("#rows tr:has-text('OrderPlaced') a.conv");
        await page.WaitForSelectorAsync("#sequenceSvg text.seq-label:has-text('OrderCompleted')", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
        var labels = await page.Locator("#sequenceSvg text.seq-label").AllTextContentsAsync();
        Assert.True(labels.Any(l => l.Contains("PlaceOrder")), string.Join(" | ", labels));
        Assert.Contains(labels, l => l.Contains("OrderCompleted"));
        Assert.True(labels.ToList().FindIndex(l => l.Contains("OrderPlaced")) < labels.ToList().FindIndex(l => l.Contains("OrderCompleted")),
            "the diagram shows the messages in order");
        Assert.True(await page.Locator("#graphSvg rect").CountAsync() >= 3, "the flow graph has the endpoints as nodes");
        await Browser.Screenshot(page, "message-flows");

        // The completion email to the buyer, as the notifications tab lists it (served by the functions host's API).
        await Eventually.Get(async () => { await page.ClickAsync("#tab-button-notifications"); return await page.Locator($"#notifications tr:has-text('{number}')").CountAsync(); },
            n => n >= 1, TimeSpan.FromSeconds(30), "the order's notification listed");
        await page.ClickAsync($"#notifications tr:has-text('{number}'):has-text('order-completed')");
        await page.WaitForSelectorAsync("#notificationDetail:not([hidden]) pre");
        await Browser.Screenshot(page, "notifications");
        await page.ClickAsync("#tab-button-messages");

        // Both languages.
        await page.ClickAsync("#lang");
        var title = await page.TextContentAsync("header h1");
        await page.ClickAsync("#lang");
        Assert.NotEqual(title, await page.TextContentAsync("header h1"));
    }

    [Fact]
    public async Task Message_that_failed_is_grouped_and_retrying_it_completes_the_order()
    {
        var page = await browser.NewPage(hub.BaseUrl, "en-US");
        await Browser.SignIn(page, "ops-operator", OpsTestUsers.Password);
        await hub.SetBillingDown(true);
        Guid id;
        string number;
        try
        {
            (id, number) = await hub.PlaceOrder();
            await page.ClickAsync("#tab-button-failed");
            await Eventually.Get(async () => { await page.ClickAsync("#tab-button-failed"); return await page.Locator($"#failed tr:has-text('{number}')").CountAsync(); },
                n => n == 1, TimeSpan.FromSeconds(60), "failed message listed");
            Assert.Equal(1, await page.Locator("#groups tr:has-text('billing-gateway'):has-text('CreateBillingCharge')").CountAsync());
        }
        finally
        {
            await hub.SetBillingDown(false);
        }
        await page.ClickAsync($"#failed tr:has-text('{number}') >> text=View");
        await page.WaitForSelectorAsync("#failedDetail:not([hidden]) #editBody");
        await Browser.Screenshot(page, "failed-messages");
        await page.ClickAsync($"#failed tr:has-text('{number}') button:text('Retry')");

        using var ops = await OpsTestUsers.SignInAsync(hub.BaseUrl, "reader");
        await Eventually.Get(async () => (await ops.GetFromJsonAsync<JsonElement>($"/ops/api/sagas/orders/{id}")).GetProperty("saga").GetProperty("currentState").GetString(),
            s => s == "Closed", TimeSpan.FromSeconds(30), "order completed (and closed) after the retry");
        await page.ClickAsync("#tab-button-sagas");
        await page.FillAsync("#sagaSearch input", number);
        await page.ClickAsync("#sagaSearch button");
        await page.ClickAsync($"#sagas a:text('{number}')");
        await page.WaitForSelectorAsync("#sagaDetail h4:has-text('Closed')");
        await Browser.Screenshot(page, "sagas");

        await page.ClickAsync("#tab-button-failed");
        await page.SelectOptionAsync("#failedStatus", "resolved");
        await page.WaitForSelectorAsync($"#failed tr:has-text('{number}'):has-text('resolved')");
        await page.WaitForSelectorAsync("#actions tr:has-text('ops-operator'):has-text('retry')");

        await page.ClickAsync("#tab-button-registry");
        await page.WaitForSelectorAsync("#registry td:text('billing-gateway')");
        await Browser.Screenshot(page, "registry");
    }

    [DistributedFact]
    public async Task Endpoint_goes_from_alive_to_stopped_when_its_process_is_killed()
    {
        // Inherited by the host processes: the test users and one-second heartbeats.
        foreach (var arg in OpsTestUsers.Args.Append("--Hub:Heartbeat:Interval=00:00:01"))
        {
            var (key, value) = (arg[2..arg.IndexOf('=')], arg[(arg.IndexOf('=') + 1)..]);
            Environment.SetEnvironmentVariable(key.Replace(":", "__"), value);
        }
        await using var distributed = await DistributedHub.StartAsync();
        var page = await browser.NewPage(distributed.Adapters.BaseUrl, "en-US");
        await Browser.SignIn(page, "ops-admin", OpsTestUsers.Password);
        await page.ClickAsync("#tab-button-endpoints");
        var functions = page.Locator("#instances tr[data-endpoint='Functions']");
        await functions.Locator("td.st:text('alive')").WaitForAsync();
        await page.WaitForSelectorAsync("#instances tr[data-endpoint='Endpoints'] td.st:text('alive')");
        await Browser.Screenshot(page, "endpoints");

        distributed.Functions.Kill();
        await functions.Locator("td.st:text('stopped')").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        await page.ClickAsync("#tab-button-alerts");
        await page.WaitForSelectorAsync("#alerts .alert:has-text('Functions')");
        await Browser.Screenshot(page, "alerts");
    }
}
