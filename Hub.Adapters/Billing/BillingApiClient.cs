using System.Net.Http.Json;
using System.Text.Json;

namespace Hub.Adapters.Billing;

/// <summary>
/// <see cref="IBillingApi"/> over a typed HttpClient. Resilience (retry, timeout, circuit
/// breaker) lives in <see cref="PartnerResilienceHandler"/> beneath it.
/// </summary>
public sealed class BillingApiClient(HttpClient http) : IBillingApi
{
    public Task<BillingCharge> CreateCharge(CreateChargeRequest request, string idempotencyKey, CancellationToken ct) =>
        Post<CreateChargeRequest, BillingCharge>("api/v1/charges", request, idempotencyKey, ct);

    public Task<BillingReversal> ReverseCharge(ReverseChargeRequest request, string idempotencyKey, CancellationToken ct) =>
        Post<ReverseChargeRequest, BillingReversal>("api/v1/charges/reversals", request, idempotencyKey, ct);

    public Task<BillingAccount> CreateAccount(CreateAccountRequest request, string idempotencyKey, CancellationToken ct) =>
        Post<CreateAccountRequest, BillingAccount>("api/v1/accounts", request, idempotencyKey, ct);

    public async Task<BillingBalance?> GetBalance(string customerCode, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/accounts/{Uri.EscapeDataString(customerCode)}/balance");
        using var response = await http.SendAsync(request, ct);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
            return null;
        return await Read<BillingBalance>(response, ct);
    }

    private async Task<TResponse> Post<TRequest, TResponse>(string path, TRequest body, string idempotencyKey, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await http.SendAsync(request, ct);
        return await Read<TResponse>(response, ct);
    }

    private static async Task<TResponse> Read<TResponse>(HttpResponseMessage response, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (PartnerResilienceHandler.IsTransient(response.StatusCode))
                throw new HttpRequestException($"Billing answered {(int)response.StatusCode}: {Describe(text)}", null, response.StatusCode);
            throw new BillingRefusedException((int)response.StatusCode, Describe(text));
        }
        return await response.Content.ReadFromJsonAsync<TResponse>(ct)
            ?? throw new HttpRequestException("Billing answered with an empty body.");
    }

    /// <summary>Billing answers with problem details; their title and detail are the reason.</summary>
    private static string Describe(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            var title = root.TryGetProperty("title", out var t) ? t.GetString() : null;
            var detail = root.TryGetProperty("detail", out var d) ? d.GetString() : null;
            return string.Join(": ", new[] { title, detail }.Where(s => !string.IsNullOrEmpty(s)));
        }
        catch (JsonException)
        {
            return body.Length > 200 ? body[..200] : body;
        }
    }
}
