using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Hub.Adapters.Identity;
using Hub.Tests.Customers;
using Hub.TestSupport;

namespace Hub.Tests.Products;

/// <summary>The product catalogue, price book and quotes over the mobile API, through the real HTTP pipeline, bus and store of the embedded hub.</summary>
[Collection("embedded")]
public sealed class ProductsApiTests(EmbeddedHubFixture hub)
{
    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    private Task<MobileSession> Manager() => hub.SignInAsync(Unique("mgr-"), MobileRoles.Manager);

    private static async Task<JsonElement> Ok(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<Guid> Register(MobileSession manager, string code, string name = "企业路由器", string? spec = null, string? model = null) =>
        (await Ok(await manager.PostAsync("/api/v1/products", new { code, name, spec, model }), HttpStatusCode.Created)).GetProperty("productId").GetGuid();

    private static Task<HttpResponseMessage> Put(MobileSession phone, string path, object body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
            request.Headers.IfMatch.Add(ifMatch == "*" ? EntityTagHeaderValue.Any : new EntityTagHeaderValue(ifMatch));
        return phone.Http.SendAsync(request);
    }

    private static string[] Codes(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("code").GetString()!).ToArray();

    [Fact]
    public async Task Catalogue_pages_in_code_order_and_filters_by_state_spec_model_and_text()
    {
        using var manager = await Manager();
        var prefix = Unique("P");
        await Register(manager, $"{prefix}-A", "Router", "1U", "AR-100");
        await Register(manager, $"{prefix}-B", "Switch", "2U", "SW-24");
        var c = await Register(manager, $"{prefix}-C", "Cable", "1U", "CB-5");
        Assert.Equal(HttpStatusCode.OK, (await Put(manager, $"/api/v1/products/{c}/state", new { state = "Discontinued" }, "\"1\"")).StatusCode);

        using var sales = await hub.SignInAsync(Unique("sales-"));
        var second = await Ok(await sales.Http.GetAsync($"/api/v1/products?q={prefix}&pageSize=2&page=2"));
        Assert.Equal(3, second.GetProperty("total").GetInt32());
        Assert.Equal([$"{prefix}-C"], Codes(second));
        Assert.Equal([$"{prefix}-A", $"{prefix}-B"], Codes(await Ok(await sales.Http.GetAsync($"/api/v1/products?q={prefix}&state=active"))));
        Assert.Equal([$"{prefix}-C"], Codes(await Ok(await sales.Http.GetAsync($"/api/v1/products?q={prefix}&state=Discontinued"))));
        Assert.Equal([$"{prefix}-A", $"{prefix}-C"], Codes(await Ok(await sales.Http.GetAsync($"/api/v1/products?q={prefix}&spec=1U"))));
        Assert.Equal([$"{prefix}-B"], Codes(await Ok(await sales.Http.GetAsync($"/api/v1/products?q={prefix}&model=SW-24"))));
        Assert.Equal([$"{prefix}-B"], Codes(await Ok(await sales.Http.GetAsync($"/api/products?q={prefix}-B"))));

        var bad = await sales.Http.GetAsync("/api/v1/products?state=Sold&pageSize=500");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("pageSize", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await sales.Http.GetAsync("/api/v1/products?state=Sold")).StatusCode);
    }

    [Fact]
    public async Task Product_update_needs_the_current_etag_and_a_stale_one_is_412()
    {
        using var manager = await Manager();
        var code = Unique("P");
        var id = await Register(manager, code, "Router", "1U", "AR-100");
        var path = $"/api/v1/products/{id}";
        var read = await manager.Http.GetAsync(path);
        Assert.Equal(("\"1\"", code), (read.Headers.ETag?.Tag, (await Ok(read)).GetProperty("code").GetString()));

        Assert.Equal((HttpStatusCode)428, (await Put(manager, path, new { name = "No header" }, null)).StatusCode);
        var first = await Put(manager, path, new { name = "Router II", spec = "2U", model = "AR-200" }, "\"1\"");
        Assert.Equal(("\"2\"", "AR-200"), (first.Headers.ETag?.Tag, (await Ok(first)).GetProperty("model").GetString()));
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Put(manager, path, new { name = "Lost update" }, "\"1\"")).StatusCode);
        var invalid = await Put(manager, path, new { name = "" }, "\"2\"");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
        Assert.True((await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("name", out _));
        Assert.Equal("Router II", (await Ok(await manager.Http.GetAsync(path))).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await manager.Http.GetAsync($"/api/v1/products/{Guid.NewGuid()}")).StatusCode);

        // Both accepted changes are on record with their author; the refused ones are not.
        var history = (await Ok(await manager.Http.GetAsync($"{path}/history"))).EnumerateArray().ToArray();
        Assert.Equal(2, history.Length);
        Assert.All(history, change => Assert.Equal(manager.UserId, change.GetProperty("actor").GetString()));
        Assert.Equal("AR-200", history[^1].GetProperty("after").GetProperty("Model").GetString());
    }

    [Fact]
    public async Task Retried_product_registration_with_the_same_idempotency_key_registers_once_and_a_taken_code_is_409()
    {
        using var manager = await Manager();
        var code = Unique("P");
        var key = Guid.NewGuid().ToString();
        var first = await Ok(await manager.PostAsync("/api/v1/products", new { code, name = "Retry router" }, key), HttpStatusCode.Created);
        var retry = await manager.PostAsync("/api/v1/products", new { code, name = "Retry router" }, key);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.GetProperty("productId").GetGuid(), (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("productId").GetGuid());
        Assert.Equal(1, (await Ok(await manager.Http.GetAsync($"/api/v1/products?q={code}"))).GetProperty("total").GetInt32());

        var taken = await manager.PostAsync("/api/v1/products", new { code, name = "Another" });
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.True((await taken.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("code", out _));
    }

    [Fact]
    public async Task Only_managers_change_products_and_prices_others_get_403()
    {
        using var manager = await Manager();
        var id = await Register(manager, Unique("P"));
        foreach (var role in new[] { MobileRoles.Salesperson, MobileRoles.OfficeSupervisor, MobileRoles.Engineer })
        {
            using var other = await hub.SignInAsync(Unique("u-"), role);
            Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsync("/api/v1/products", new { code = Unique("P"), name = "Not mine" })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await Put(other, $"/api/v1/products/{id}", new { name = "Not mine" }, "\"1\"")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await Put(other, $"/api/v1/products/{id}/state", new { state = "Discontinued" }, "\"1\"")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await Put(other, "/api/v1/price-book", new { rules = Array.Empty<object>() }, "*")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await other.Http.GetAsync($"/api/v1/products/{id}")).StatusCode);
        }
        Assert.Equal("Active", (await Ok(await manager.Http.GetAsync($"/api/v1/products/{id}"))).GetProperty("state").GetString());
    }

    /// <summary>Sets the price book as a manager, from the version in force.</summary>
    private static async Task SetPriceBook(MobileSession manager, object[] rules)
    {
        var current = await manager.Http.GetAsync("/api/v1/price-book");
        await Ok(await Put(manager, "/api/v1/price-book", new { rules }, current.Headers.ETag!.Tag));
    }

    private async Task<Guid> Customer(MobileSession sales) =>
        (await Ok(await sales.PostAsync("/api/v1/customers", CustomersApiTests.NewCustomer(Unique("C"), "报价客户")), HttpStatusCode.Created))
        .GetProperty("customerId").GetGuid();

    [Fact]
    public async Task A_quote_is_priced_by_the_configured_volume_bundle_and_floor_rules()
    {
        using var manager = await Manager();
        var router = Unique("RTR");
        var cable = Unique("CBL");
        await Register(manager, router);
        await Register(manager, cable, "网线");
        await SetPriceBook(manager, [
            new { kind = "basePrice", componentCode = router, unitPrice = 1000.00m },
            new { kind = "basePrice", componentCode = cable, unitPrice = 10.00m },
            new { kind = "volume", componentCode = cable, tiers = new[] { new { minQuantity = 11, discount = 0.10m } }, mode = "Graduated" },
            new { kind = "bundle", name = "Starter kit", componentCodes = new[] { router, cable }, discount = 0.05m },
            new { kind = "floor", shareOfList = 0.5m },
        ]);

        using var sales = await hub.SignInAsync(Unique("sales-"));
        var customerId = await Customer(sales);
        var quote = await Ok(await sales.PostAsync("/api/v1/quotes", new { customerId, components = new object[] { new { code = router, quantity = 2 }, new { code = cable.ToLowerInvariant(), quantity = 20 } } }));

        // Router: 2 × 1000 = 2000, bundle 5 % = 100 off → 1900.
        // Cable: 20 × 10 = 200; units 11–20 at 10 % off → 190; bundle 5 % = 9.50 off → 180.50.
        var lines = quote.GetProperty("lines").EnumerateArray().ToArray();
        Assert.Equal((2000m, 0m, "Starter kit", 100m, 1900m), Line(lines[0]));
        Assert.Equal((200m, 10m, "Starter kit", 9.50m, 180.50m), Line(lines[1]));
        // The floor itself is for holders of products.floor (managers), not the salesperson quoting.
        Assert.Equal((2200m, 2080.50m, JsonValueKind.Null, 2080.50m, false),
            (quote.GetProperty("listTotal").GetDecimal(), quote.GetProperty("subtotal").GetDecimal(), quote.GetProperty("floor").ValueKind,
             quote.GetProperty("total").GetDecimal(), quote.GetProperty("floorApplied").GetBoolean()));
        var managersQuote = await Ok(await manager.PostAsync("/api/v1/quotes", new { customerId, components = new object[] { new { code = router, quantity = 2 }, new { code = cable, quantity = 20 } } }));
        Assert.Equal((1100m, 2080.50m), (managersQuote.GetProperty("floor").GetDecimal(), managersQuote.GetProperty("total").GetDecimal()));
        Assert.StartsWith("QT", quote.GetProperty("number").GetString());
        Assert.Equal(sales.UserId, quote.GetProperty("preparedBy").GetString());

        static (decimal, decimal, string?, decimal, decimal) Line(JsonElement l) => (l.GetProperty("listAmount").GetDecimal(), l.GetProperty("volumeDiscount").GetDecimal(),
            l.GetProperty("bundle").GetString(), l.GetProperty("bundleDiscount").GetDecimal(), l.GetProperty("amount").GetDecimal());
    }

    [Fact]
    public async Task A_quote_with_unknown_or_discontinued_products_or_bad_quantities_is_422_with_field_errors()
    {
        using var manager = await Manager();
        var router = Unique("RTR");
        var old = Unique("OLD");
        await Register(manager, router);
        var oldId = await Register(manager, old);
        Assert.Equal(HttpStatusCode.OK, (await Put(manager, $"/api/v1/products/{oldId}/state", new { state = "Discontinued" }, "\"1\"")).StatusCode);
        await SetPriceBook(manager, [new { kind = "basePrice", componentCode = router, unitPrice = 10m }, new { kind = "basePrice", componentCode = old, unitPrice = 5m }]);

        using var sales = await hub.SignInAsync(Unique("sales-"));
        var customerId = await Customer(sales);
        var refused = await sales.PostAsync("/api/v1/quotes", new { customerId, components = new object[]
        {
            new { code = Unique("NOPE"), quantity = 1 }, new { code = old, quantity = 1 }, new { code = router, quantity = 0 },
        } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var errors = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("not in the catalogue", errors.GetProperty("components[0].code")[0].GetString());
        Assert.Contains("discontinued", errors.GetProperty("components[1].code")[0].GetString());

        var badQuantity = await sales.PostAsync("/api/v1/quotes", new { customerId, components = new object[] { new { code = router, quantity = 0 } } });
        Assert.True((await Ok(badQuantity, HttpStatusCode.UnprocessableEntity)).GetProperty("errors").TryGetProperty("components[0].quantity", out _));
        var noCustomer = await sales.PostAsync("/api/v1/quotes", new { customerId = Guid.NewGuid(), components = new object[] { new { code = router, quantity = 1 } } });
        Assert.True((await Ok(noCustomer, HttpStatusCode.UnprocessableEntity)).GetProperty("errors").TryGetProperty("customerId", out _));
        Assert.Equal(10m, (await Ok(await sales.PostAsync("/api/v1/quotes", new { customerId, components = new object[] { new { code = router, quantity = 1 } } })))
            .GetProperty("total").GetDecimal());
    }

    [Fact]
    public async Task A_broken_price_book_is_422_per_rule_and_a_stale_one_412()
    {
        using var manager = await Manager();
        var current = await manager.Http.GetAsync("/api/v1/price-book");
        var tag = current.Headers.ETag!.Tag;
        var broken = await Put(manager, "/api/v1/price-book", new { rules = new object[] { new { kind = "basePrice", componentCode = "X", unitPrice = -1m }, new { kind = "gift" } } }, tag);
        var errors = (await Ok(broken, HttpStatusCode.UnprocessableEntity)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("rules[0].unitPrice", out _) && errors.TryGetProperty("rules[1]", out _));
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Put(manager, "/api/v1/price-book", new { rules = Array.Empty<object>() }, "\"999999\"")).StatusCode);
        Assert.Equal(tag, (await manager.Http.GetAsync("/api/v1/price-book")).Headers.ETag!.Tag);
    }

    [Fact]
    public async Task Product_price_book_and_quote_endpoints_are_described_in_the_openapi_document()
    {
        using var http = new HttpClient { BaseAddress = new Uri(hub.BaseUrl) };
        var paths = (await http.GetFromJsonAsync<JsonElement>("/api/openapi/v1.json")).GetProperty("paths");
        foreach (var path in new[] { "/api/v1/products", "/api/v1/products/{productId}", "/api/v1/products/{productId}/state", "/api/v1/price-book", "/api/v1/quotes" })
            Assert.True(paths.TryGetProperty(path, out _), path);
        var quote = paths.GetProperty("/api/v1/quotes").GetProperty("post").GetProperty("responses");
        Assert.True(quote.TryGetProperty("200", out _) && quote.TryGetProperty("422", out _));
    }
}
