using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Hub.Adapters.Identity;
using Hub.TestSupport;

namespace Hub.Tests.Customers;

/// <summary>Customers and contacts over the mobile API, through the real HTTP pipeline, bus and store of the embedded hub.</summary>
[Collection("embedded")]
public sealed class CustomersApiTests(EmbeddedHubFixture hub)
{
    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    internal static object NewCustomer(string code, string name, string? phone = null, string kind = "Direct", string? region = "east",
        string? email = null, string? owner = null) =>
        new { code, name, kind, region, phone, email, ownerSalespersonId = owner, attributes = new[] { new { key = "fleet", value = "12" } } };

    private static async Task<JsonElement> Created(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<JsonElement> Register(MobileSession phone, object customer) =>
        await Created(await phone.PostAsync("/api/v1/customers", customer));

    private static Task<HttpResponseMessage> Put(MobileSession phone, string path, object body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
            request.Headers.IfMatch.Add(ifMatch == "*" ? EntityTagHeaderValue.Any : new EntityTagHeaderValue(ifMatch));
        return phone.Http.SendAsync(request);
    }

    [Fact]
    public async Task Registered_customer_is_read_with_its_etag_and_found_by_every_search_filter()
    {
        using var phone = await hub.SignInAsync(Unique("sales-"));
        var code = Unique("C");
        var response = await phone.PostAsync("/api/v1/customers", NewCustomer(code, "北京华信科技有限公司", "+86 (010) 6552-1234", kind: "GroupConsumer", region: "华北"));
        var created = await Created(response);
        var id = created.GetProperty("customerId").GetGuid();
        Assert.Equal($"/api/v1/customers/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        Assert.Equal(phone.UserId, created.GetProperty("ownerSalespersonId").GetString());
        Assert.Equal("12", created.GetProperty("attributes")[0].GetProperty("value").GetString());

        var read = await phone.Http.GetAsync($"/api/v1/customers/{id}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("\"1\"", read.Headers.ETag?.Tag);
        await Register(phone, NewCustomer(Unique("C"), "上海远景贸易", kind: "Dealer", region: "华东"));

        foreach (var query in new[] { "name=北京华信", "kind=GroupConsumer", "region=华北", $"owner={phone.UserId}&name=北京", $"q={code}", "grade=Ungraded&kind=groupconsumer" })
        {
            var page = await phone.Http.GetFromJsonAsync<JsonElement>($"/api/v1/customers?{query}");
            Assert.True(page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("customerId").GetGuid()).SequenceEqual([id]), query);
        }
        var all = await phone.Http.GetFromJsonAsync<JsonElement>("/api/v1/customers?pageSize=1&page=2");
        Assert.Equal(2, all.GetProperty("total").GetInt32());
        Assert.Single(all.GetProperty("items").EnumerateArray());

        var bad = await phone.Http.GetAsync("/api/v1/customers?kind=Alien&grade=Z");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("kind", out _) && errors.TryGetProperty("grade", out _));
    }

    [Fact]
    public async Task Broken_rules_are_422_with_field_errors_and_a_taken_code_is_409()
    {
        using var phone = await hub.SignInAsync(Unique("sales-"));
        var bad = await phone.PostAsync("/api/v1/customers", new { code = "bad code!", name = "", kind = "Alien", email = "not-an-email" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "code", "name", "kind", "email" })
            Assert.True(errors.TryGetProperty(field, out _), field);

        var code = Unique("C");
        await Register(phone, NewCustomer(code, "First Ltd"));
        var taken = await phone.PostAsync("/api/v1/customers", NewCustomer(code, "Second Ltd"));
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.True((await taken.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("code", out _));
        var page = await phone.Http.GetFromJsonAsync<JsonElement>("/api/v1/customers");
        Assert.Equal(1, page.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Retried_create_with_the_same_idempotency_key_registers_once()
    {
        using var phone = await hub.SignInAsync(Unique("sales-"));
        var key = Guid.NewGuid().ToString();
        var body = NewCustomer(Unique("C"), "Retry Trading");
        var first = await Created(await phone.PostAsync("/api/v1/customers", body, key));
        var retry = await phone.PostAsync("/api/customers", body, key);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.GetProperty("customerId").GetGuid(), (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("customerId").GetGuid());
        Assert.Equal(1, (await phone.Http.GetFromJsonAsync<JsonElement>("/api/v1/customers")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Update_needs_the_current_etag_a_stale_one_is_412_and_nothing_is_overwritten()
    {
        using var phone = await hub.SignInAsync(Unique("sales-"));
        var code = Unique("C");
        var id = (await Register(phone, NewCustomer(code, "Etag Trading"))).GetProperty("customerId").GetGuid();
        var path = $"/api/v1/customers/{id}";

        Assert.Equal((HttpStatusCode)428, (await Put(phone, path, NewCustomer(code, "No Header"), null)).StatusCode);
        var first = await Put(phone, path, NewCustomer(code, "Etag Trading Renamed", region: "west"), "\"1\"");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("\"2\"", first.Headers.ETag?.Tag);
        var stale = await Put(phone, path, NewCustomer(code, "Lost Update"), "\"1\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        var changedCode = await Put(phone, path, NewCustomer(Unique("C"), "Etag Trading"), "\"2\"");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, changedCode.StatusCode);

        var now = await phone.Http.GetFromJsonAsync<JsonElement>(path);
        Assert.Equal("Etag Trading Renamed", now.GetProperty("name").GetString());
        Assert.Equal("west", now.GetProperty("region").GetString());
        Assert.Equal(2, now.GetProperty("version").GetInt64());

        var graded = await Put(phone, $"{path}/grade", new { valueGrade = "A", creditGrade = "AA" }, "\"2\"");
        Assert.Equal(HttpStatusCode.OK, graded.StatusCode);
        Assert.Equal("A", (await graded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("valueGrade").GetString());
    }

    [Fact]
    public async Task Another_salespersons_customer_is_404_while_their_office_supervisor_and_regional_manager_see_it()
    {
        var office = Unique("off-");
        var region = Unique("reg-");
        using var li = await hub.SignInAsync(Unique("sales-"), office: office, region: region);
        using var manager = await hub.SignInAsync(Unique("mgr-"), MobileRoles.Manager, office: "hq", region: region);
        using var otherManager = await hub.SignInAsync(Unique("mgr-"), MobileRoles.Manager, office: "hq", region: "x" + region);
        using var wu = await hub.SignInAsync(Unique("sales-"), office: office);
        using var supervisor = await hub.SignInAsync(Unique("sup-"), MobileRoles.OfficeSupervisor, office: office);
        using var elsewhere = await hub.SignInAsync(Unique("sup-"), MobileRoles.OfficeSupervisor, office: "x" + office);
        var id = (await Register(li, NewCustomer(Unique("C"), "Scoped Trading", "13912345678"))).GetProperty("customerId").GetGuid();
        var path = $"/api/v1/customers/{id}";

        Assert.Equal(HttpStatusCode.NotFound, (await wu.Http.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await elsewhere.Http.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Put(wu, path, NewCustomer("X", "Hijack"), "*")).StatusCode);
        Assert.Equal(0, (await wu.Http.GetFromJsonAsync<JsonElement>("/api/v1/customers/screen-pop?caller=13912345678")).GetProperty("customers").GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, (await supervisor.Http.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await manager.Http.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherManager.Http.GetAsync(path)).StatusCode);
        Assert.Contains((await supervisor.Http.GetFromJsonAsync<JsonElement>($"/api/v1/customers?owner={li.UserId}")).GetProperty("items").EnumerateArray(),
            c => c.GetProperty("customerId").GetGuid() == id);
        // A salesperson cannot register a customer in a colleague's name, nor hand one over.
        Assert.Equal(HttpStatusCode.Forbidden, (await wu.PostAsync("/api/v1/customers", NewCustomer(Unique("C"), "For Li", owner: li.UserId))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Put(li, $"{path}/owner", new { ownerSalespersonId = wu.UserId }, "\"1\"")).StatusCode);

        var handed = await Put(supervisor, $"{path}/owner", new { ownerSalespersonId = wu.UserId }, "\"1\"");
        Assert.Equal(HttpStatusCode.OK, handed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await wu.Http.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await li.Http.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task Contacts_are_added_listed_updated_with_if_match_and_found_by_birthday_month()
    {
        using var phone = await hub.SignInAsync(Unique("sales-"));
        var customerId = (await Register(phone, NewCustomer(Unique("C"), "Contact Trading"))).GetProperty("customerId").GetGuid();
        var boss = await Created(await phone.PostAsync($"/api/v1/customers/{customerId}/contacts",
            new { name = "王总", title = "总经理", birthday = "1970-03-21", decisionRole = "DecisionMaker", phones = new[] { new { kind = "Mobile", number = "13700000001" } } }));
        var bossId = boss.GetProperty("contactId").GetGuid();
        var clerk = await Created(await phone.PostAsync($"/api/v1/customers/{customerId}/contacts",
            new { name = "李工", birthday = "1985-03-02", reportsToId = bossId }));
        var clerkId = clerk.GetProperty("contactId").GetGuid();
        Assert.Equal(bossId, clerk.GetProperty("reportsToId").GetGuid());

        // The boss cannot report to their own report.
        var cycle = await Put(phone, $"/api/v1/contacts/{bossId}", new { name = "王总", reportsToId = clerkId }, "\"1\"");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, cycle.StatusCode);
        Assert.True((await cycle.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("reportsToId", out _));
        var badPhone = await phone.PostAsync($"/api/v1/customers/{customerId}/contacts", new { name = "X", phones = new[] { new { kind = "Pager", number = "abc" } } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badPhone.StatusCode);

        var updated = await Put(phone, $"/api/v1/contacts/{clerkId}", new { name = "李工", birthday = "1985-03-02", title = "工程师", reportsToId = bossId }, "\"1\"");
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("\"2\"", updated.Headers.ETag?.Tag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Put(phone, $"/api/v1/contacts/{clerkId}", new { name = "旧" }, "\"1\"")).StatusCode);

        var listed = await phone.Http.GetFromJsonAsync<JsonElement>($"/api/v1/customers/{customerId}/contacts");
        Assert.Equal(2, listed.GetArrayLength());
        var march = await phone.Http.GetFromJsonAsync<JsonElement>("/api/v1/contacts/birthdays?month=3");
        Assert.Equal([clerkId, bossId], march.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("contactId").GetGuid()));
        Assert.Equal(0, (await phone.Http.GetFromJsonAsync<JsonElement>("/api/v1/contacts/birthdays?month=4")).GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, (await phone.Http.GetAsync("/api/v1/contacts/birthdays?month=13")).StatusCode);
        using var other = await hub.SignInAsync(Unique("sales-"));
        Assert.Equal(HttpStatusCode.NotFound, (await other.Http.GetAsync($"/api/v1/contacts/{bossId}")).StatusCode);
        Assert.Equal(0, (await other.Http.GetFromJsonAsync<JsonElement>("/api/v1/contacts/birthdays?month=3")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Screen_pop_finds_the_customer_by_caller_number_in_any_form_and_by_name_prefix()
    {
        using var phone = await hub.SignInAsync(Unique("sales-"), MobileRoles.Salesperson);
        var digits = "1065" + Random.Shared.Next(100_000, 999_999);
        var own = await Register(phone, NewCustomer(Unique("C"), "屏幕弹出科技有限公司", "010-" + digits[2..] + " 转 8021"));
        var other = await Register(phone, NewCustomer(Unique("C"), "屏幕弹出贸易"));
        var mobile = "137" + Random.Shared.Next(10_000_000, 99_999_999);
        var contact = await Created(await phone.PostAsync($"/api/v1/customers/{other.GetProperty("customerId").GetGuid()}/contacts",
            new { name = "赵经理", phones = new[] { new { kind = "Mobile", number = mobile } } }));

        var byOwnPhone = await phone.Http.GetFromJsonAsync<JsonElement>($"/api/v1/customers/screen-pop?caller={Uri.EscapeDataString("+86 " + digits)}");
        Assert.Equal(own.GetProperty("customerId").GetGuid(), byOwnPhone.GetProperty("customers").EnumerateArray().Single().GetProperty("customerId").GetGuid());
        var byContact = await phone.Http.GetFromJsonAsync<JsonElement>($"/api/v1/customers/screen-pop?caller=0086{mobile}");
        Assert.Equal(other.GetProperty("customerId").GetGuid(), byContact.GetProperty("customers").EnumerateArray().Single().GetProperty("customerId").GetGuid());
        Assert.Equal(contact.GetProperty("contactId").GetGuid(), byContact.GetProperty("contacts").EnumerateArray().Single().GetProperty("contactId").GetGuid());
        var byName = await phone.Http.GetFromJsonAsync<JsonElement>($"/api/v1/customers/screen-pop?name={Uri.EscapeDataString("屏幕弹出")}");
        Assert.Equal(2, byName.GetProperty("customers").GetArrayLength());
        var narrower = await phone.Http.GetFromJsonAsync<JsonElement>($"/api/v1/customers/screen-pop?name={Uri.EscapeDataString("屏幕弹出科")}");
        Assert.Equal(own.GetProperty("customerId").GetGuid(), narrower.GetProperty("customers").EnumerateArray().Single().GetProperty("customerId").GetGuid());
        var withheld = await phone.Http.GetFromJsonAsync<JsonElement>("/api/v1/customers/screen-pop?caller=anonymous");
        Assert.Equal(JsonValueKind.Null, withheld.GetProperty("callerKey").ValueKind);
        Assert.Equal(HttpStatusCode.BadRequest, (await phone.Http.GetAsync("/api/v1/customers/screen-pop")).StatusCode);
    }

    [Fact]
    public async Task Merge_of_a_duplicate_moves_its_contacts_and_orders_and_retires_it()
    {
        using var phone = await hub.SignInAsync(Unique("sales-"));
        var survivor = await Register(phone, NewCustomer(Unique("C"), "合并测试科技有限公司", "021-55501234"));
        var duplicateCode = Unique("C");
        var duplicate = await Register(phone, NewCustomer(duplicateCode, "合并测试科技 公司", email: "merge@example.com"));
        var survivorId = survivor.GetProperty("customerId").GetGuid();
        var duplicateId = duplicate.GetProperty("customerId").GetGuid();
        var contact = await Created(await phone.PostAsync($"/api/v1/customers/{duplicateId}/contacts", new { name = "钱会计" }));
        var orderId = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.Accepted, (await phone.PostAsync("/api/v1/orders", EmbeddedOrderFlowTests.NewOrder(orderId, phone.UserId, customer: duplicateCode))).StatusCode);
        await Eventually.Get(() => phone.Http.GetFromJsonAsync<JsonElement>("/api/v1/orders"),
            p => p.GetProperty("items").EnumerateArray().Any(o => o.GetProperty("orderId").GetGuid() == orderId && o.GetProperty("customerCode").GetString() == duplicateCode),
            TimeSpan.FromSeconds(30), "order listed");

        var candidates = await phone.Http.GetFromJsonAsync<JsonElement>($"/api/v1/customers/{survivorId}/duplicates");
        var candidate = candidates.EnumerateArray().Single();
        Assert.Equal(duplicateId, candidate.GetProperty("customer").GetProperty("customerId").GetGuid());
        Assert.Equal("SameName", candidate.GetProperty("reasons")[0].GetString());

        var merged = await phone.PostAsync($"/api/v1/customers/{survivorId}/merge", new { duplicateId });
        Assert.Equal(HttpStatusCode.OK, merged.StatusCode);
        Assert.Equal("merge@example.com", (await merged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("email").GetString());
        var again = await phone.PostAsync($"/api/v1/customers/{duplicateId}/merge", new { duplicateId = survivorId });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        Assert.Equal(survivorId, (await phone.Http.GetFromJsonAsync<JsonElement>($"/api/v1/contacts/{contact.GetProperty("contactId").GetGuid()}")).GetProperty("customerId").GetGuid());
        Assert.Equal(survivorId, (await phone.Http.GetFromJsonAsync<JsonElement>($"/api/v1/customers/{duplicateId}")).GetProperty("mergedIntoId").GetGuid());
        Assert.DoesNotContain((await phone.Http.GetFromJsonAsync<JsonElement>("/api/v1/customers")).GetProperty("items").EnumerateArray(),
            c => c.GetProperty("customerId").GetGuid() == duplicateId);
        var survivorCode = survivor.GetProperty("code").GetString();
        await Eventually.Get(() => phone.Http.GetFromJsonAsync<JsonElement>("/api/v1/orders"),
            p => p.GetProperty("items").EnumerateArray().Any(o => o.GetProperty("orderId").GetGuid() == orderId && o.GetProperty("customerCode").GetString() == survivorCode),
            TimeSpan.FromSeconds(30), "order re-pointed in the mobile list");
        Assert.Equal(survivorCode, (await phone.Http.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}")).GetProperty("customerCode").GetString());
    }

    [Fact]
    public async Task Customer_and_contact_endpoints_are_described_in_the_openapi_document()
    {
        using var http = new HttpClient { BaseAddress = new Uri(hub.BaseUrl) };
        var document = await http.GetFromJsonAsync<JsonElement>("/api/openapi/v1.json");
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/customers", "/api/v1/customers/screen-pop", "/api/v1/customers/{customerId}/merge", "/api/v1/contacts/birthdays" })
            Assert.True(paths.TryGetProperty(path, out _), path);
        var register = paths.GetProperty("/api/v1/customers").GetProperty("post").GetProperty("responses");
        Assert.True(register.TryGetProperty("201", out _) && register.TryGetProperty("422", out _) && register.TryGetProperty("409", out _));
    }
}
