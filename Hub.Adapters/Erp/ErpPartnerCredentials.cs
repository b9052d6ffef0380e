using Hub.Infrastructure.Access;
using Hub.Soap.Security;

namespace Hub.Adapters.Erp;

/// <summary>
/// The ERPs' WS-Security UsernameToken credentials for <c>/soap/erp</c>, read from <c>partner_account</c> (kind
/// <c>erp</c>; the password sealed with the column keys, as PasswordDigest needs it): a rotated or disabled ERP is
/// refused within <c>Hub:Partners:RefreshAfter</c>. <c>Soap:Partners:&lt;erp&gt;:Username/Password</c> is the
/// bootstrap import. An ERP calling from outside its allowed networks is refused like a wrong password.
/// </summary>
internal sealed class ErpPartnerCredentials(PartnerDirectory partners) : ISoapCredentialStore
{
    public async ValueTask<SoapPartnerCredential?> FindByUsernameAsync(string username, CancellationToken cancellationToken) =>
        (await partners.EnabledAsync(PartnerKinds.Erp, cancellationToken)).FirstOrDefault(p => p.Username == username && p.Secret is { Length: > 0 })
            is { } erp ? new SoapPartnerCredential(erp.Name, erp.Username!, erp.Secret!) { AllowsAddress = erp.AllowsAddress } : null;

    /// <summary>The ERPs of <c>Soap:Partners</c> with a user name and password (and <c>AllowedNetworks:&lt;n&gt;</c>), for the start-up import.</summary>
    public static IEnumerable<PartnerSeed> Configured(IConfiguration configuration) =>
        configuration.GetSection("Soap:Partners").GetChildren()
            .Where(p => !string.IsNullOrEmpty(p["Username"]) && !string.IsNullOrEmpty(p["Password"]))
            .Select(p => new PartnerSeed(PartnerKinds.Erp, p.Key, p["Username"], p["Password"]!,
                AllowedNetworks: [.. p.GetSection("AllowedNetworks").GetChildren().Select(n => n.Value ?? "")]));
}
