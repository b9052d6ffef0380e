namespace Hub.Soap.Security;

/// <summary>A partner's UsernameToken credentials.</summary>
public sealed record SoapPartnerCredential(string PartnerId, string Username, string Password)
{
    /// <summary>
    /// Whether the partner may call from an address (its IP lock); null: from anywhere. A token proven from elsewhere is
    /// refused with the same fault as a wrong password.
    /// </summary>
    public Func<System.Net.IPAddress?, bool>? AllowsAddress { get; init; }

    // Keep the password out of logs and exception messages.
    public override string ToString() => $"SoapPartnerCredential {{ PartnerId = {PartnerId}, Username = {Username} }}";
}

/// <summary>Looks up the partner a UsernameToken's user name belongs to.</summary>
public interface ISoapCredentialStore
{
    /// <summary>The credentials for <paramref name="username"/> (ordinal match), or null.</summary>
    ValueTask<SoapPartnerCredential?> FindByUsernameAsync(string username, CancellationToken cancellationToken);
}
