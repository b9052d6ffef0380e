using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using Crm.Contracts.Soap.ErpHub;
using Hub.Adapters.Identity;
using Hub.Adapters.Push;
using Hub.Infrastructure.Access;
using Hub.Infrastructure.Monitoring;
using Hub.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Hub.Soap.Tests.Infrastructure;
using Hub.TestSupport;
using Hub.Tests.Customers;
using MassTransit;

namespace Hub.Tests.Access;

/// <summary>
/// Field-level permissions (003 §4.4.2 数据属性授权) through the real HTTP and SOAP pipeline: bank details, credit grades, price floors
/// reach only the roles allowed to see them, on REST answers, lists, history, SOAP queries, push content and the operations view.
/// </summary>
[Collection("access")]
public sealed class FieldAccessTests(AccessHub hub)
{
    private const string Account = "6222 0212 3456 7890 123";
    private const string Registration = "91420100MA4K2B3C4D";

    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    private static async Task<JsonElement> Ok(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static Task<HttpResponseMessage> Put(MobileSession phone, string path, object body, string ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body) };
        request.Headers.IfMatch.Add(new EntityTagHeaderValue(ifMatch));
        return phone.Http.SendAsync(request);
    }

    /// <summary>A customer of <paramref name="owner"/> with bank details, in <paramref name="region"/>.</summary>
    private static async Task<(Guid Id, string Code)> BankedCustomer(MobileSession owner, string region)
    {
        var code = Unique("B");
        var created = await Ok(await owner.PostAsync("/api/v1/customers", new
        {
            code, name = "武汉长江物流有限公司 " + code, kind = "Direct", region, registrationNumber = Registration, bankAccount = Account,
        }), HttpStatusCode.Created);
        return (created.GetProperty("customerId").GetGuid(), code);
    }

    [Fact]
    public async Task A_salesperson_gets_customers_without_bank_details_and_is_refused_filtering_or_sorting_by_hidden_fields_a_supervisor_sees_them()
    {
        var office = Unique("office-");
        var region = Unique("region-");
        using var sales = await hub.SignInAsync(Unique("sales-"), MobileRoles.Salesperson, office, region);
        using var supervisor = await hub.SignInAsync(Unique("sup-"), MobileRoles.OfficeSupervisor, office, region);
        var (id, code) = await BankedCustomer(sales, region);

        var own = await Ok(await sales.Http.GetAsync($"/api/v1/customers/{id}"));
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null, JsonValueKind.Null),
            (own.GetProperty("bankAccount").ValueKind, own.GetProperty("registrationNumber").ValueKind, own.GetProperty("creditGrade").ValueKind));
        var listed = await sales.Http.GetStringAsync($"/api/v1/customers?q={code}");
        Assert.Contains(code, listed);
        Assert.DoesNotContain("6222", listed);
        Assert.DoesNotContain(Registration, listed);

        // Filtering or sorting by a field one may not see would tell it: refused before any read.
        foreach (var query in new[] { "bankAccount=6222", "registrationNumber=9142", "creditGrade=A", "sort=creditGrade", "sort=-creditGrade" })
        {
            var refused = await sales.Http.GetAsync($"/api/v1/customers?{query}");
            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{query}: {(int)refused.StatusCode}");
        }

        var seen = await Ok(await supervisor.Http.GetAsync($"/api/v1/customers/{id}"));
        Assert.Equal((Account, Registration), (seen.GetProperty("bankAccount").GetString(), seen.GetProperty("registrationNumber").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await supervisor.Http.GetAsync($"/api/v1/customers?q={code}&sort=-creditGrade")).StatusCode);
        // Sealed at rest, so no filter even for those who may see it: said so, not ignored.
        var sealedFilter = await supervisor.Http.GetAsync($"/api/v1/customers?bankAccount=6222");
        Assert.Equal(HttpStatusCode.BadRequest, sealedFilter.StatusCode);
        Assert.True((await sealedFilter.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("bankAccount", out _));
    }

    [Fact]
    public async Task History_timeline_and_as_of_show_a_bank_change_to_a_supervisor_and_neither_value_to_the_salesperson()
    {
        var office = Unique("office-");
        var region = Unique("region-");
        using var sales = await hub.SignInAsync(Unique("sales-"), MobileRoles.Salesperson, office, region);
        using var supervisor = await hub.SignInAsync(Unique("sup-"), MobileRoles.OfficeSupervisor, office, region);
        var (id, code) = await BankedCustomer(sales, region);
        const string newAccount = "6217 0000 1111 2222 333";
        var current = await supervisor.Http.GetAsync($"/api/v1/customers/{id}");
        var view = await current.Content.ReadFromJsonAsync<JsonElement>();
        await Ok(await Put(supervisor, $"/api/v1/customers/{id}", new
        {
            code, name = view.GetProperty("name").GetString(), kind = "Direct", region, registrationNumber = Registration, bankAccount = newAccount,
        }, current.Headers.ETag!.Tag));

        var supervisorsHistory = await supervisor.Http.GetStringAsync($"/api/v1/customers/{id}/history");
        Assert.Contains(Account, supervisorsHistory);
        Assert.Contains(newAccount, supervisorsHistory);
        var salesHistory = await sales.Http.GetStringAsync($"/api/v1/customers/{id}/history");
        Assert.Equal(2, JsonDocument.Parse(salesHistory).RootElement.GetArrayLength());
        foreach (var secret in new[] { Account, newAccount, Registration, "BankAccount", "RegistrationNumber", "CreditGrade" })
            Assert.DoesNotContain(secret, salesHistory);

        var timeline = await sales.Http.GetStringAsync($"/api/v1/customers/{id}/timeline");
        Assert.Contains("change", timeline);
        Assert.DoesNotContain("BankAccount", timeline);
        Assert.Contains("BankAccount", await supervisor.Http.GetStringAsync($"/api/v1/customers/{id}/timeline"));

        var at = Uri.EscapeDataString((DateTimeOffset.UtcNow + hub.Clock.Offset).ToString("O"));
        var asOf = await sales.Http.GetStringAsync($"/api/v1/customers/{id}/as-of?at={at}");
        Assert.Contains(code, asOf);
        Assert.DoesNotContain("6217", asOf);
        Assert.Contains(newAccount, await supervisor.Http.GetStringAsync($"/api/v1/customers/{id}/as-of?at={at}"));
    }

    [Fact]
    public async Task A_quote_and_the_price_book_show_price_floors_only_to_holders_of_products_floor()
    {
        var region = Unique("region-");
        using var manager = await hub.SignInAsync(Unique("mgr-"), MobileRoles.Manager, Unique("office-"), region);
        using var sales = await hub.SignInAsync(Unique("sales-"), MobileRoles.Salesperson, Unique("office-"), region);
        var product = Unique("RTR");
        await Ok(await manager.PostAsync("/api/v1/products", new { code = product, name = "企业路由器" }), HttpStatusCode.Created);
        var book = await manager.Http.GetAsync("/api/v1/price-book");
        await Ok(await Put(manager, "/api/v1/price-book", new
        {
            rules = new object[] { new { kind = "basePrice", componentCode = product, unitPrice = 1000m }, new { kind = "floor", shareOfList = 0.8m } },
        }, book.Headers.ETag!.Tag));
        var (customerId, _) = await BankedCustomer(sales, region);
        object Request() => new { customerId, components = new[] { new { code = product, quantity = 1 } } };

        var salesQuote = await Ok(await sales.PostAsync("/api/v1/quotes", Request()));
        var managersQuote = await Ok(await manager.PostAsync("/api/v1/quotes", Request()));
        Assert.Equal((JsonValueKind.Null, 1000m), (salesQuote.GetProperty("floor").ValueKind, salesQuote.GetProperty("total").GetDecimal()));
        Assert.Equal(800m, managersQuote.GetProperty("floor").GetDecimal());

        var salesBook = await Ok(await sales.Http.GetAsync("/api/v1/price-book"));
        Assert.DoesNotContain(salesBook.GetProperty("rules").EnumerateArray(), r => r.GetProperty("kind").GetString() == "floor");
        Assert.Contains(salesBook.GetProperty("rules").EnumerateArray(), r => r.GetProperty("kind").GetString() == "basePrice");
        var managersBook = await Ok(await manager.Http.GetAsync("/api/v1/price-book"));
        Assert.Contains(managersBook.GetProperty("rules").EnumerateArray(), r => r.GetProperty("kind").GetString() == "floor");
    }

    [Fact]
    public async Task An_erps_soap_query_carries_neither_bank_details_nor_credit_grade()
    {
        using var sales = await hub.SignInAsync(Unique("sales-"), MobileRoles.Salesperson, Unique("office-"), AccessHub.NorthRegion);
        var (_, code) = await BankedCustomer(sales, AccessHub.NorthRegion);
        using var http = new HttpClient();
        var answer = await Envelopes.PostSoap11Async(http, new Uri(hub.BaseUrl + ErpHubContract.DefaultPath),
            Envelopes.Envelope($"""<QueryCustomer xmlns="{ErpHubContract.Namespace}"><customerCode>{code}</customerCode></QueryCustomer>""",
                Envelopes.Security(AccessHub.NorthErp, Erp.ErpTestPartners.Password)), $"\"{ErpHubContract.Namespace}/QueryCustomer\"");
        Assert.True(answer.Status == HttpStatusCode.OK, answer.Body);
        Assert.Contains(code, answer.Body);
        foreach (var secret in new[] { "6222", Registration, "credit", "bank" })
            Assert.DoesNotContain(secret, answer.Body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Operations_readers_see_message_bodies_with_bank_details_masked_and_admins_see_them_whole()
    {
        using var sales = await hub.SignInAsync(Unique("sales-"), MobileRoles.Salesperson, Unique("office-"), Unique("region-"));
        var (_, code) = await BankedCustomer(sales, "华中");
        using var reader = await Ops.OpsTestUsers.SignInAsync(hub.BaseUrl, OpsRoles.Reader);
        using var admin = await Ops.OpsTestUsers.SignInAsync(hub.BaseUrl, OpsRoles.Admin);

        // The RegisterCustomer command, as the audit recorded it.
        var body = await Eventually.Get(async () =>
            {
                var found = await reader.GetFromJsonAsync<JsonElement[]>("/ops/api/messages?type=RegisterCustomer&limit=200");
                foreach (var message in found!)
                {
                    var b = await reader.GetFromJsonAsync<JsonElement>($"/ops/api/messages/{message.GetProperty("id").GetInt64()}/body");
                    if (b.GetProperty("body").GetString() is { } text && text.Contains(code))
                        return (Id: message.GetProperty("id").GetInt64(), Text: text);
                }
                return (Id: 0L, Text: "");
            },
            b => b.Id != 0, TimeSpan.FromSeconds(30), "the registration is audited");
        Assert.DoesNotContain("6222", body.Text);
        Assert.DoesNotContain(Registration, body.Text);
        Assert.Contains(SensitiveFields.Mask, body.Text);

        var whole = await admin.GetFromJsonAsync<JsonElement>($"/ops/api/messages/{body.Id}/body");
        Assert.Contains(Account, whole.GetProperty("body").GetString());
        Assert.Contains(Registration, whole.GetProperty("body").GetString());
    }

    [Fact]
    public async Task A_failed_message_with_bank_details_is_masked_for_an_operator_who_may_not_edit_it_and_whole_for_an_admin()
    {
        // A failed registration as the error-queue sweep records it (the API under test is the operations view's answer).
        var code = Unique("F");
        long id;
        await using (var scope = hub.Hub.Hub.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            var row = new FailedMessage
            {
                MessageId = Guid.NewGuid(), MessageType = "RegisterCustomer", Endpoint = "crm-customers", InputAddress = "loopback://localhost/crm-customers",
                ExceptionType = "System.TimeoutException", ExceptionMessage = "store busy", FailurePoint = "test", GroupId = Unique("g"),
                FirstFailedAt = DateTime.UtcNow, LastFailedAt = DateTime.UtcNow, FailureCount = 1, BusinessKeys = $"customerCode={code};",
                Body = JsonSerializer.Serialize(new { message = new { customerCode = code, profile = new { code, bankAccount = Account, registrationNumber = Registration } } }),
            };
            db.Add(row);
            await db.SaveChangesAsync();
            id = row.Id;
        }
        using var operatorClient = await Ops.OpsTestUsers.SignInAsync(hub.BaseUrl, OpsRoles.Operator);
        using var admin = await Ops.OpsTestUsers.SignInAsync(hub.BaseUrl, OpsRoles.Admin);

        var masked = (await operatorClient.GetFromJsonAsync<JsonElement>($"/ops/api/failed/{id}")).GetProperty("body").GetString()!;
        Assert.Contains(code, masked);
        Assert.DoesNotContain("6222", masked);
        Assert.DoesNotContain(Registration, masked);
        var edit = await operatorClient.PostAsJsonAsync($"/ops/api/failed/{id}/edit-and-retry",
            new { message = new { customerCode = code, profile = new { code, bankAccount = SensitiveFields.Mask } } });
        Assert.Equal(HttpStatusCode.Forbidden, edit.StatusCode);

        var whole = (await admin.GetFromJsonAsync<JsonElement>($"/ops/api/failed/{id}")).GetProperty("body").GetString()!;
        Assert.Contains(Account, whole);
    }

    [Fact]
    public void No_push_carries_a_sensitive_field()
    {
        // Every message a push consumer turns into push content, walked through its properties: none is named like a sensitive field.
        var pushed = typeof(PushRecorder).Assembly.GetTypes()
            .Where(t => t.GetConstructors().Any(c => c.GetParameters().Any(p => p.ParameterType == typeof(PushRecorder))))
            .SelectMany(t => t.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConsumer<>)))
            .Select(i => i.GetGenericArguments()[0]).Distinct().ToArray();
        Assert.True(pushed.Length >= 5, $"push consumers found: {string.Join(", ", pushed.Select(t => t.Name))}");
        var offending = pushed.SelectMany(t => Names(t, [])).Where(SensitiveFields.JsonNames.Contains).ToArray();
        Assert.Empty(offending);
        Assert.Contains("bankAccount", SensitiveFields.JsonNames);

        static IEnumerable<string> Names(Type type, HashSet<Type> seen)
        {
            if (!seen.Add(type) || type.Namespace?.StartsWith("Crm.Contracts", StringComparison.Ordinal) != true)
                return [];
            return type.GetProperties(BindingFlags.Public | BindingFlags.Instance).SelectMany(p =>
            {
                var inner = p.PropertyType.IsGenericType ? p.PropertyType.GetGenericArguments() : [p.PropertyType.GetElementType() ?? p.PropertyType];
                return inner.SelectMany(i => Names(i, seen)).Prepend(JsonNamingPolicy.CamelCase.ConvertName(p.Name));
            }).ToList();
        }
    }
}
