using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hub.TestSupport;
using Microsoft.Data.Sqlite;

namespace Hub.Tests.Customers;

/// <summary>
/// The sensitive customer fields over the mobile API of the embedded hub: validated, returned open to who may see the
/// customer's bank details (customers.bank), sealed in the store's columns (read with plain SQLite), still found by caller number and as duplicates.
/// </summary>
[Collection("embedded")]
public sealed class EncryptedCustomerFieldsApiTests(EmbeddedHubFixture hub)
{
    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    [Fact]
    public async Task Registration_number_and_bank_account_are_kept_sealed_and_the_phone_still_finds_the_customer_and_its_duplicate()
    {
        using var phone = await hub.SignInAsync(Unique("sales-"));
        var code = Unique("E");
        var created = await phone.PostAsync("/api/v1/customers", new
        {
            code, name = "密封字段测试有限公司", kind = "Direct", phone = "0571-8702 4455", fax = "0571-8702 4456",
            registrationNumber = "91330100ma2abcde7q", bankAccount = "6228 4801 2345 6789 012",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var view = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = view.GetProperty("customerId").GetGuid();
        // The salesperson who registered it does not see the bank details back (customers.bank); their office's supervisor does.
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null, "0571-8702 4456"),
            (view.GetProperty("registrationNumber").ValueKind, view.GetProperty("bankAccount").ValueKind, view.GetProperty("fax").GetString()));
        using var supervisor = await hub.SignInAsync(Unique("sup-"), Hub.Adapters.Identity.MobileRoles.OfficeSupervisor);
        var seen = await supervisor.Http.GetFromJsonAsync<JsonElement>($"/api/v1/customers/{id}");
        Assert.Equal(("91330100MA2ABCDE7Q", "6228 4801 2345 6789 012"), (seen.GetProperty("registrationNumber").GetString(), seen.GetProperty("bankAccount").GetString()));

        // Sealed in the columns, as any reader of the file sees them.
        await using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = hub.DatabasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString))
        {
            await connection.OpenAsync();
            await using var query = new SqliteCommand("""SELECT "Phone", "Fax", "RegistrationNumber", "BankAccount", "PhoneKey" FROM crm_customer WHERE "Code" = $code""", connection);
            query.Parameters.AddWithValue("$code", code);
            await using var row = await query.ExecuteReaderAsync();
            Assert.True(await row.ReadAsync());
            for (var i = 0; i < 4; i++)
                Assert.StartsWith("enc1:", row.GetString(i));
            Assert.StartsWith("bix1:", row.GetString(4));
        }

        var popped = await phone.Http.GetFromJsonAsync<JsonElement>("/api/v1/customers/screen-pop?caller=%2B86%20571%2087024455");
        Assert.Equal([id], popped.GetProperty("customers").EnumerateArray().Select(c => c.GetProperty("customerId").GetGuid()));
        Assert.Equal("57187024455", popped.GetProperty("callerKey").GetString());

        var duplicate = await phone.PostAsync("/api/v1/customers", new { code = Unique("E"), name = "另一家公司", kind = "Direct", phone = "+86 571 8702 4455" });
        Assert.Equal(HttpStatusCode.Created, duplicate.StatusCode);
        var candidates = await phone.Http.GetFromJsonAsync<JsonElement>($"/api/v1/customers/{id}/duplicates");
        var candidate = candidates.EnumerateArray().Single();
        Assert.Equal((await duplicate.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("customerId").GetGuid(), candidate.GetProperty("customer").GetProperty("customerId").GetGuid());
        Assert.Equal(["SamePhone"], candidate.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task A_malformed_registration_number_or_bank_account_is_refused_with_field_errors()
    {
        using var phone = await hub.SignInAsync(Unique("sales-"));
        var refused = await phone.PostAsync("/api/v1/customers", new
        {
            code = Unique("E"), name = "格式错误有限公司", kind = "Direct", registrationNumber = "91 33/01", bankAccount = "IBAN?",
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var errors = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("registrationNumber", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("bankAccount", out _), errors.ToString());
    }
}
