namespace Crm.Contracts.Dealers;

/// <summary>
/// Answer to a dealer command that was refused; nothing changed. Sent as a response to a request, or published when the
/// command was sent without one.
/// </summary>
/// <param name="CommandId">The command.</param>
/// <param name="Reason">One of <see cref="Invalid"/>, <see cref="NotFound"/>, <see cref="Conflict"/>, <see cref="VersionMismatch"/>.</param>
/// <param name="Title">What went wrong, for people.</param>
/// <param name="Errors">Messages per field (camelCase, as the field appears on the wire).</param>
public sealed record DealerCommandRejected(Guid CommandId, string Reason, string Title, IReadOnlyDictionary<string, string[]> Errors)
{
    /// <summary>A business rule refused the input.</summary>
    public const string Invalid = "invalid";
    /// <summary>The dealer, contract or target does not exist.</summary>
    public const string NotFound = "not-found";
    /// <summary>The change clashes with what is stored (an id already used for something else).</summary>
    public const string Conflict = "conflict";
    /// <summary>The change was made from another version than the stored one.</summary>
    public const string VersionMismatch = "version-mismatch";
}
