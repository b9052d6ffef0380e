using Crm.Contracts.Dealers;

namespace Hub.Endpoints.Dealers;

/// <summary>How every dealer command ends (<see cref="CommandOutcome{TAccepted,TRejected}"/>).</summary>
internal static class DealerCommands
{
    /// <summary>Accepted or rejected with the dealers' answers; the stored dealer records are the capability's own too.</summary>
    public static readonly CommandOutcome<DealerCommandAccepted, DealerCommandRejected> Outcome = new(
        (command, entity, version, repeated) => new DealerCommandAccepted(command, entity, version, repeated),
        (command, reason, title, errors) => new DealerCommandRejected(command, reason, title, errors),
        "Hub.CrmStore");
}
