using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hub.Adapters.Identity;
using Hub.TestSupport;

namespace Hub.Tests.Dealers;

/// <summary>Dealers over the mobile REST API of the embedded hub: every route, data scope, field permissions, ETags, idempotent POSTs, the ledger.</summary>
[Collection("embedded")]
public sealed class DealerApiTests(EmbeddedHubFixture hub)
{
    private static string Id(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..6];

    /// <summary>A salesperson, their region's manager and a dealer the salesperson owns, in a region of their own.</summary>
    private async Task<(MobileSession Sales, MobileSession Manager, Guid DealerId, string Code, string Region)> DealerAsync()
    {
        var region = Id("region");
        var sales = await hub.SignInAsync(Id("sales"), MobileRoles.Salesperson, Id("office"), region);
        var manager = await hub.SignInAsync(Id("mgr"), MobileRoles.Manager, Id("office"), region);
        var code = DealerEndpointTests.Code();
        var dealer = await Ok(sales.PostAsync("/api/v1/customers", new { code, name = "宜昌万通专用车经销有限公司 " + code, kind = "Dealer", region }));
        return (sales, manager, dealer.Body.GetProperty("customerId").GetGuid(), code, region);
    }

    private static async Task<(JsonElement Body, string? ETag)> Ok(Task<HttpResponseMessage> call)
    {
        var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return (JsonDocument.Parse(text).RootElement.Clone(), response.Headers.ETag?.Tag);
    }

    private static async Task<JsonElement> Problem(Task<HttpResponseMessage> call, HttpStatusCode status)
    {
        var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static Task<HttpResponseMessage> Send(MobileSession phone, HttpMethod method, string path, object? body, string? etag, string? key = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body ?? new { }) };
        if (method == HttpMethod.Post)
            request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString());
        if (etag is not null)
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        return phone.Http.SendAsync(request);
    }

    private static readonly object Visit = new
    {
        visitedOn = "2026-03-12",
        scores = new[]
        {
            new { criterion = "qualification", weight = 0.4m, score = 90m }, new { criterion = "assets", weight = 0.3m, score = 70m },
            new { criterion = "experience", weight = 0.2m, score = 80m }, new { criterion = "premises", weight = 0.1m, score = 60m },
        },
        notes = "Workshop of 2,000 m², six bays",
    };

    [Fact]
    public async Task Visits_and_negotiations_are_recorded_once_per_idempotency_key_and_listed_with_paging_filter_and_search()
    {
        var (sales, manager, dealerId, code, _) = await DealerAsync();
        using var _s = sales;
        using var _m = manager;
        var key = Guid.NewGuid().ToString();

        var first = await sales.PostAsync($"/api/v1/dealers/{dealerId}/visits", Visit, key);
        var retry = await sales.PostAsync($"/api/v1/dealers/{dealerId}/visits", Visit, key);
        var badScores = await Problem(sales.PostAsync($"/api/v1/dealers/{dealerId}/visits", new { visitedOn = "2026-03-13", scores = new[] { new { criterion = "assets", weight = 0.5m, score = 101m } } }),
            HttpStatusCode.UnprocessableEntity);
        var noDay = await Problem(sales.PostAsync($"/api/v1/dealers/{dealerId}/visits", new { scores = Array.Empty<object>() }), HttpStatusCode.UnprocessableEntity);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.True(retry.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(79m, (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("weightedTotal").GetDecimal());
        Assert.True(badScores.GetProperty("errors").TryGetProperty("scores[0].score", out _));
        Assert.True(noDay.GetProperty("errors").TryGetProperty("visitedOn", out _));
        var visits = (await Ok(sales.Http.GetAsync($"/api/v1/dealers/{dealerId}/visits?q=bays&from=2026-03-01&to=2026-03-31&pageSize=5"))).Body;
        Assert.Equal(1, visits.GetProperty("total").GetInt32());

        await Ok(sales.PostAsync($"/api/v1/dealers/{dealerId}/negotiations", new
        {
            heldOn = "2026-02-20", participants = "王总, 李经理", outcome = "Agreed", terms = new[] { new { topic = "territory", settlement = "Hubei" } },
        }));
        await Ok(sales.PostAsync($"/api/v1/dealers/{dealerId}/negotiations", new { heldOn = "2026-02-10", participants = "王总", outcome = "Continuing", terms = Array.Empty<object>() }));
        var agreed = (await Ok(sales.Http.GetAsync($"/api/v1/dealers/{dealerId}/negotiations?outcome=Agreed"))).Body;
        var page2 = (await Ok(sales.Http.GetAsync($"/api/v1/dealers/{dealerId}/negotiations?page=2&pageSize=1"))).Body;
        Assert.Equal("Agreed", agreed.GetProperty("items")[0].GetProperty("outcome").GetString());
        Assert.Equal((1, 2, "2026-02-10"), (agreed.GetProperty("total").GetInt32(), page2.GetProperty("total").GetInt32(),
            page2.GetProperty("items")[0].GetProperty("heldOn").GetString()));
        await Problem(sales.Http.GetAsync($"/api/v1/dealers/{dealerId}/negotiations?outcome=Maybe"), HttpStatusCode.BadRequest);

        var timeline = (await Ok(sales.Http.GetAsync($"/api/v1/customers/{dealerId}/timeline"))).Body;
        Assert.Equal(["dealer-visit", "dealer-negotiation", "dealer-negotiation"], timeline.EnumerateArray().Select(e => e.GetProperty("kind").GetString())
            .Where(k => k!.StartsWith("dealer-", StringComparison.Ordinal)));
        var listed = (await Ok(sales.Http.GetAsync($"/api/v1/dealers?q={code}"))).Body;
        Assert.Equal(code, listed.GetProperty("items")[0].GetProperty("code").GetString());
        Assert.Equal(1, (await Ok(manager.Http.GetAsync($"/api/v1/dealers?q={code}"))).Body.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Agency_contract_is_drafted_submitted_and_approved_by_the_regions_manager_and_only_managers_see_its_terms()
    {
        var (sales, manager, dealerId, _, region) = await DealerAsync();
        using var _s = sales;
        using var _m = manager;
        using var other = await hub.SignInAsync(Id("mgr"), MobileRoles.Manager, Id("office"), region);
        var path = $"/api/v1/dealers/{dealerId}/contracts";

        var (draft, etag) = await Ok(sales.PostAsync(path, new { territory = "Hubei", validFrom = "2026-04-01", validTo = "2027-03-31", terms = "Exclusive; commission 1/2/3 % by tier" }));
        var contract = $"{path}/{draft.GetProperty("contractId").GetGuid()}";
        Assert.Equal(JsonValueKind.Null, draft.GetProperty("terms").ValueKind);
        await Problem(Send(sales, HttpMethod.Post, $"{contract}/submit", null, null), HttpStatusCode.PreconditionRequired);
        var (submitted, submittedTag) = await Ok(Send(sales, HttpMethod.Post, $"{contract}/submit", null, etag));

        await Problem(Send(sales, HttpMethod.Post, $"{contract}/approve", null, submittedTag), HttpStatusCode.Forbidden);
        await Problem(Send(manager, HttpMethod.Post, $"{contract}/approve", null, etag), HttpStatusCode.PreconditionFailed);
        var (approved, approvedTag) = await Ok(Send(manager, HttpMethod.Post, $"{contract}/approve", null, submittedTag));
        var (signed, _) = await Ok(Send(sales, HttpMethod.Post, $"{contract}/sign", new { signedOn = "2026-03-30" }, approvedTag));

        Assert.Equal("Submitted", submitted.GetProperty("status").GetString());
        Assert.Equal(("Approved", manager.UserId), (approved.GetProperty("status").GetString(), approved.GetProperty("approverId").GetString()));
        Assert.Equal("Exclusive; commission 1/2/3 % by tier", approved.GetProperty("terms").GetString());
        Assert.Equal(["Drafted", "Submitted", "Approved", "Signed"], signed.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step").GetString()));
        var listed = (await Ok(sales.Http.GetAsync($"{path}?status=Active&q=AC"))).Body;
        Assert.Equal(1, listed.GetProperty("total").GetInt32());
        var timeline = (await Ok(sales.Http.GetAsync($"/api/v1/customers/{dealerId}/timeline"))).Body;
        Assert.Equal(["Signed", "Approved", "Submitted", "Drafted"], timeline.EnumerateArray().Where(e => e.GetProperty("kind").GetString() == "agency-contract")
            .Select(e => e.GetProperty("title").GetString()!.Split(": ")[1]));

        // A manager who submits a contract may not decide on it; another manager of the region may.
        var (second, secondTag) = await Ok(manager.PostAsync(path, new { territory = "Hunan", validFrom = "2026-04-01", validTo = "2027-03-31", terms = "Non-exclusive" }));
        var secondPath = $"{path}/{second.GetProperty("contractId").GetGuid()}";
        var (_, byManager) = await Ok(Send(manager, HttpMethod.Post, $"{secondPath}/submit", null, secondTag));
        var ownApproval = await Problem(Send(manager, HttpMethod.Post, $"{secondPath}/approve", null, byManager), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("submitted", ownApproval.GetProperty("errors").GetProperty("approverId")[0].GetString());
        var (rejected, rejectedTag) = await Ok(Send(other, HttpMethod.Post, $"{secondPath}/reject", new { reason = "Hunan is covered" }, byManager));
        Assert.Equal(("Rejected", "Hunan is covered"), (rejected.GetProperty("status").GetString(), rejected.GetProperty("rejectionReason").GetString()));
        var (revised, _) = await Ok(Send(manager, HttpMethod.Put, secondPath, new { territory = "Hunan west", validFrom = "2026-04-01", validTo = "2027-03-31", terms = "Non-exclusive" },
            rejectedTag));
        Assert.Equal(("Draft", "Hunan west"), (revised.GetProperty("status").GetString(), revised.GetProperty("territory").GetString()));
    }

    [Fact]
    public async Task Targets_are_set_by_supervisors_with_if_match_and_achievement_shows_tiers_and_commission_to_managers_only()
    {
        var (sales, manager, dealerId, _, _) = await DealerAsync();
        using var _s = sales;
        using var _m = manager;
        var tiers = new
        {
            tier1 = new { units = 10, salesAmount = 100_000m, receipts = 80_000m },
            tier2 = new { units = 20, salesAmount = 200_000m, receipts = 160_000m },
            tier3 = new { units = 30, salesAmount = 300_000m, receipts = 240_000m },
        };
        var path = $"/api/v1/dealers/{dealerId}/targets/2026/4";

        await Problem(Send(sales, HttpMethod.Put, path, tiers, "\"0\""), HttpStatusCode.Forbidden);
        await Problem(Send(manager, HttpMethod.Put, path, tiers, null), HttpStatusCode.PreconditionRequired);
        var (set, etag) = await Ok(Send(manager, HttpMethod.Put, path, tiers, "\"0\""));
        await Problem(Send(manager, HttpMethod.Put, path, tiers, "\"0\""), HttpStatusCode.PreconditionFailed);
        var decreasing = await Problem(Send(manager, HttpMethod.Put, path, new { tiers.tier1, tier2 = tiers.tier1 with { }, tier3 = new { units = 5, salesAmount = 1m, receipts = 1m } }, etag),
            HttpStatusCode.UnprocessableEntity);
        await Ok(Send(manager, HttpMethod.Put, $"/api/v1/dealers/{dealerId}/targets/2026", tiers, "\"0\""));

        Assert.Equal("\"1\"", etag);
        Assert.Equal(1, set.GetProperty("version").GetInt64());
        Assert.True(decreasing.GetProperty("errors").TryGetProperty("tier3", out _));
        var forSales = (await Ok(sales.Http.GetAsync($"/api/v1/dealers/{dealerId}/achievement?year=2026&month=4"))).Body;
        var forManager = (await Ok(manager.Http.GetAsync($"/api/v1/dealers/{dealerId}/achievement?year=2026&month=4"))).Body;
        Assert.Equal((3, 0), (forSales.GetProperty("tiers").GetArrayLength(), forSales.GetProperty("tierReached").GetInt32()));
        Assert.Equal(JsonValueKind.Null, forSales.GetProperty("commission").ValueKind);
        Assert.Equal(0m, forManager.GetProperty("commission").GetProperty("amount").GetDecimal());
        var targets = (await Ok(sales.Http.GetAsync($"/api/v1/dealers/{dealerId}/targets?year=2026"))).Body;
        Assert.Equal([null, 4], targets.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("month").ValueKind == JsonValueKind.Null ? (int?)null : t.GetProperty("month").GetInt32()));
        await Problem(sales.Http.GetAsync($"/api/v1/dealers/{dealerId}/achievement?month=13"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Another_salespersons_dealer_and_another_regions_dealer_answer_404_as_missing_ones()
    {
        var (sales, manager, dealerId, _, _) = await DealerAsync();
        using var _s = sales;
        using var _m = manager;
        using var stranger = await hub.SignInAsync(Id("sales"), MobileRoles.Salesperson, Id("office"), Id("region"));
        using var farManager = await hub.SignInAsync(Id("mgr"), MobileRoles.Manager, Id("office"), Id("region"));
        var (contract, etag) = await Ok(sales.PostAsync($"/api/v1/dealers/{dealerId}/contracts", new { territory = "Hubei", validFrom = "2026-04-01", validTo = "2027-03-31", terms = "x" }));
        var contractPath = $"/api/v1/dealers/{dealerId}/contracts/{contract.GetProperty("contractId").GetGuid()}";

        foreach (var phone in new[] { stranger, farManager })
        {
            await Problem(phone.Http.GetAsync($"/api/v1/dealers/{dealerId}"), HttpStatusCode.NotFound);
            await Problem(phone.Http.GetAsync($"/api/v1/dealers/{dealerId}/visits"), HttpStatusCode.NotFound);
            await Problem(phone.Http.GetAsync($"/api/v1/dealers/{dealerId}/achievement"), HttpStatusCode.NotFound);
            await Problem(phone.PostAsync($"/api/v1/dealers/{dealerId}/visits", Visit), HttpStatusCode.NotFound);
            await Problem(phone.Http.GetAsync(contractPath), HttpStatusCode.NotFound);
            await Problem(Send(phone, HttpMethod.Post, $"{contractPath}/approve", null, etag), HttpStatusCode.NotFound);
            Assert.Equal(0, (await Ok(phone.Http.GetAsync("/api/v1/dealers?pageSize=100"))).Body.GetProperty("items").EnumerateArray()
                .Count(d => d.GetProperty("dealerId").GetGuid() == dealerId));
        }
        await Problem(sales.Http.GetAsync($"/api/v1/dealers/{dealerId}/contracts/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_completed_order_for_the_dealer_counts_towards_this_months_achievement()
    {
        var (sales, manager, dealerId, code, _) = await DealerAsync();
        using var _s = sales;
        using var _m = manager;

        await Ok(sales.PostAsync("/api/v1/orders", new
        {
            customerCode = code, contactEmail = "buyer@example.com",
            lines = new[] { new { productCode = "TL-2000", specModel = "1.5t", quantity = 3, unitPrice = 199m, discount = 0m } },
        }));

        var dealer = await Eventually.Get(async () => (await Ok(sales.Http.GetAsync($"/api/v1/dealers/{dealerId}"))).Body,
            d => d.GetProperty("thisMonth").GetProperty("actual").GetProperty("units").GetInt32() > 0, TimeSpan.FromSeconds(60), "the order counted");
        var actual = dealer.GetProperty("thisMonth").GetProperty("actual");
        Assert.Equal((3, 597m), (actual.GetProperty("units").GetInt32(), actual.GetProperty("salesAmount").GetDecimal()));
    }
}
