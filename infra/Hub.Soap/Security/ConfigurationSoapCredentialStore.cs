using Microsoft.Extensions.Configuration;

namespace Hub.Soap.Security;

/// <summary>
/// Credentials from configuration: one child section per partner id with <c>Username</c> and <c>Password</c>, e.g.
/// <code>
/// "Soap": { "Partners": { "erp": { "Username": "erp-prod", "Password": "..." } } }
/// </code>
/// Read on every lookup, so reloaded configuration takes effect. Entries without a user name or password are ignored.
/// </summary>
public sealed class ConfigurationSoapCredentialStore(IConfiguration partnersSection) : ISoapCredentialStore
{
    public ValueTask<SoapPartnerCredential?> FindByUsernameAsync(string username, CancellationToken cancellationToken)
    {
        foreach (var partner in partnersSection.GetChildren())
        {
            var configured = partner["Username"];
            var password = partner["Password"];
            if (!string.IsNullOrEmpty(configured) && !string.IsNullOrEmpty(password) &&
                string.Equals(configured, username, StringComparison.Ordinal))
            {
                return ValueTask.FromResult<SoapPartnerCredential?>(new SoapPartnerCredential(partner.Key, configured, password));
            }
        }

        return ValueTask.FromResult<SoapPartnerCredential?>(null);
    }
}

/// <summary>A fixed set of credentials (tests, simulators).</summary>
public sealed class InMemorySoapCredentialStore : ISoapCredentialStore
{
    private readonly Dictionary<string, SoapPartnerCredential> _byUsername;

    public InMemorySoapCredentialStore(IEnumerable<SoapPartnerCredential> credentials)
    {
        _byUsername = new Dictionary<string, SoapPartnerCredential>(StringComparer.Ordinal);
        foreach (var credential in credentials)
        {
            if (string.IsNullOrEmpty(credential.Username) || string.IsNullOrEmpty(credential.Password))
            {
                continue;
            }

            _byUsername[credential.Username] = credential;
        }
    }

    public ValueTask<SoapPartnerCredential?> FindByUsernameAsync(string username, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_byUsername.GetValueOrDefault(username));
}
