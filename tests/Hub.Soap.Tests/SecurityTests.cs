using System.Net;
using System.Security.Cryptography;
using System.Xml.Linq;
using Hub.Soap.Security;
using Hub.Soap.Server;
using Hub.Soap.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Soap.Tests;

/// <summary>WS-Security UsernameToken: PasswordText and PasswordDigest, nonce replay cache, Created freshness, generic failures.</summary>
public sealed class SecurityTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly ManualTimeProvider _clock = new(Start);
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await EchoService.StartAsync(time: _clock);

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    private Task<SoapHttpResult> PostAsync(string path, string? header, string envelopeNs = Envelopes.Soap11) =>
        envelopeNs == Envelopes.Soap11
            ? Envelopes.PostSoap11Async(_host.Http, _host.Url(path), Envelopes.Envelope(EchoService.EchoBody(), header, envelopeNs), EchoService.EchoAction)
            : Envelopes.PostSoap12Async(_host.Http, _host.Url(path), Envelopes.Envelope(EchoService.EchoBody(), header, envelopeNs), EchoService.EchoAction);

    private static string? Echoed(SoapHttpResult result, string element) =>
        result.Document.Descendants(XName.Get(element, EchoService.Ns)).SingleOrDefault()?.Value;

    private string Token(bool digest = true, TimeSpan? age = null, byte[]? nonce = null, string password = EchoService.Password) =>
        Envelopes.Security(EchoService.Username, password, digest, _clock.Now - (age ?? TimeSpan.Zero), nonce);

    [Theory]
    [InlineData(true, Envelopes.Soap11)]
    [InlineData(false, Envelopes.Soap11)]
    [InlineData(true, Envelopes.Soap12)]
    [InlineData(false, Envelopes.Soap12)]
    public async Task Valid_username_token_authenticates_the_partner_configured_for_the_user_name(bool digest, string envelopeNs)
    {
        var result = await PostAsync("secure", Token(digest), envelopeNs);

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Equal(EchoService.PartnerId, Echoed(result, "partnerId"));
    }

    [Fact]
    public async Task PasswordText_without_nonce_or_created_is_accepted_as_zeep_sends_it()
    {
        var header = $"<wsse:Security xmlns:wsse=\"{Envelopes.Wsse}\"><wsse:UsernameToken><wsse:Username>{EchoService.Username}</wsse:Username><wsse:Password Type=\"{Envelopes.TextType}\">{EchoService.Password}</wsse:Password></wsse:UsernameToken></wsse:Security>";

        var result = await PostAsync("secure", header);

        Assert.Equal(EchoService.PartnerId, Echoed(result, "partnerId"));
    }

    [Fact]
    public async Task Replayed_nonce_is_rejected()
    {
        var nonce = RandomNumberGenerator.GetBytes(16);
        var header = Token(nonce: nonce);

        var first = await PostAsync("secure", header);
        var replay = await PostAsync("secure", header);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        replay.AssertClientFault();
        Assert.Equal("Authentication failed.", replay.FaultReason);
        Assert.Contains(TestLog.Snapshot(), l => l.Contains("replayed nonce", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Created_inside_the_five_minute_window_is_accepted_and_outside_it_rejected()
    {
        var fresh = await PostAsync("secure", Token(age: TimeSpan.FromMinutes(4.9)));
        var stale = await PostAsync("secure", Token(age: TimeSpan.FromMinutes(5.1)));
        var skewed = await PostAsync("secure", Token(age: TimeSpan.FromMinutes(-4.9)));
        var future = await PostAsync("secure", Token(age: TimeSpan.FromMinutes(-5.1)));

        Assert.Equal(HttpStatusCode.OK, fresh.Status);
        Assert.Equal(HttpStatusCode.OK, skewed.Status);
        stale.AssertClientFault();
        future.AssertClientFault();
        Assert.Contains(TestLog.Snapshot(), l => l.Contains("stale wsu:Created", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_captured_digest_header_cannot_be_replayed_after_the_window_either()
    {
        var header = Token();
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("secure", header)).Status);

        _clock.Now += TimeSpan.FromMinutes(30);
        var later = await PostAsync("secure", header);

        later.AssertClientFault();
    }

    [Fact]
    public async Task Wrong_password_and_unknown_user_get_the_same_generic_fault()
    {
        var wrongPassword = await PostAsync("secure", Token(password: "nope"));
        var unknownUser = await PostAsync("secure", Envelopes.Security("nobody", EchoService.Password, true, _clock.Now));
        var noPasswordConfigured = await PostAsync("secure", Envelopes.Security("nopw", string.Empty, false, _clock.Now));

        wrongPassword.AssertClientFault();
        Assert.Equal(wrongPassword.Body, unknownUser.Body);
        Assert.Equal(wrongPassword.Body, noPasswordConfigured.Body);
        Assert.DoesNotContain("password", wrongPassword.Body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Optional_security_accepts_anonymous_calls_but_still_verifies_a_token_that_is_present()
    {
        var anonymous = await PostAsync("open", null);
        var authenticated = await PostAsync("open", Token());
        var bad = await PostAsync("open", Token(password: "nope"));

        Assert.Equal(HttpStatusCode.OK, anonymous.Status);
        Assert.Null(Echoed(anonymous, "partnerId"));
        Assert.Equal(EchoService.PartnerId, Echoed(authenticated, "partnerId"));
        bad.AssertClientFault();
    }

    [Fact]
    public async Task PasswordText_can_be_refused_by_option()
    {
        await using var host = await EchoService.StartAsync(o => o.AllowPasswordText = false);

        var text = await Envelopes.PostSoap11Async(host.Http, host.Url("secure"), Envelopes.Envelope(EchoService.EchoBody(), Envelopes.Security(EchoService.Username, EchoService.Password, digest: false)), EchoService.EchoAction);
        var digest = await Envelopes.PostSoap11Async(host.Http, host.Url("secure"), Envelopes.Envelope(EchoService.EchoBody(), Envelopes.Security(EchoService.Username, EchoService.Password, digest: true)), EchoService.EchoAction);

        text.AssertClientFault();
        Assert.Equal(HttpStatusCode.OK, digest.Status);
    }

    [Fact]
    public async Task Configuration_credential_store_maps_user_names_to_partner_ids_and_skips_entries_without_a_password()
    {
        var store = new ConfigurationSoapCredentialStore(EchoService.Partners());

        Assert.Equal(new SoapPartnerCredential(EchoService.PartnerId, EchoService.Username, EchoService.Password), await store.FindByUsernameAsync(EchoService.Username, default));
        Assert.Null(await store.FindByUsernameAsync("nopw", default));
        Assert.Null(await store.FindByUsernameAsync("ERP", default));
        Assert.DoesNotContain(EchoService.Password, new SoapPartnerCredential("p", "u", EchoService.Password).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Nonce_cache_refuses_repeats_until_expiry_and_fails_closed_when_full()
    {
        var clock = new ManualTimeProvider(Start);
        var cache = new InMemorySoapNonceCache(clock, capacity: 2);

        Assert.True(cache.TryAdd("a", Start.AddMinutes(1)));
        Assert.False(cache.TryAdd("a", Start.AddMinutes(1)));
        Assert.True(cache.TryAdd("b", Start.AddMinutes(1)));
        Assert.False(cache.TryAdd("c", Start.AddMinutes(1)));

        clock.Now = Start.AddMinutes(2);
        Assert.True(cache.TryAdd("c", Start.AddMinutes(3)));
        Assert.True(cache.TryAdd("a", Start.AddMinutes(3)));
    }

    [Fact]
    public async Task Mapping_a_secured_service_without_any_credential_store_fails_at_start_up()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            TestHost.StartAsync(_ => { }, app => app.MapSoapService("/x", EchoService.Create(requireSecurity: true))));
        Assert.Contains("ISoapCredentialStore", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_partner_locked_to_networks_is_refused_from_elsewhere_with_the_wrong_password_fault()
    {
        var seen = new List<IPAddress?>();
        var store = new InMemorySoapCredentialStore(
        [
            new SoapPartnerCredential("here", "here-user", EchoService.Password) { AllowsAddress = a => { seen.Add(a); return a is not null && IPAddress.IsLoopback(a); } },
            new SoapPartnerCredential("elsewhere", "elsewhere-user", EchoService.Password) { AllowsAddress = _ => false },
        ]);
        await using var host = await TestHost.StartAsync(
            services => services.AddSingleton<TimeProvider>(_clock).AddSoapServer().AddSingleton<ISoapCredentialStore>(store),
            app => app.MapSoapService("/secure", EchoService.Create(requireSecurity: true)));
        Task<SoapHttpResult> Post(string username, string password) => Envelopes.PostSoap11Async(host.Http, host.Url("secure"),
            Envelopes.Envelope(EchoService.EchoBody(), Envelopes.Security(username, password, true, _clock.Now)), EchoService.EchoAction);

        var inside = await Post("here-user", EchoService.Password);
        Assert.Equal(HttpStatusCode.OK, inside.Status);
        Assert.Equal("here", Echoed(inside, "partnerId"));
        Assert.Contains(seen, a => a is not null && IPAddress.IsLoopback(a));

        var outside = await Post("elsewhere-user", EchoService.Password);
        var wrong = await Post("elsewhere-user", "not-the-password");
        outside.AssertClientFault();
        Assert.Equal("Authentication failed.", outside.FaultReason);
        Assert.Equal(wrong.FaultReason, outside.FaultReason);
        Assert.Contains(TestLog.Snapshot(), l => l.Contains("outside the partner's allowed networks", StringComparison.Ordinal));
    }
}
