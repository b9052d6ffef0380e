namespace Crm.Contracts.Dealers;

/// <summary>
/// Command: draft an agency contract with a dealer (003 §3.2.4 代理合同). <paramref name="ContractId"/> is chosen by the caller.
/// Answered with <see cref="DealerCommandAccepted"/> or <see cref="DealerCommandRejected"/>.
/// </summary>
public sealed record DraftAgencyContract(
    Guid CommandId,
    Guid ContractId,
    Guid DealerId,
    string Territory,
    DateOnly ValidFrom,
    DateOnly ValidTo,
    string Terms,
    Guid? NegotiationId,
    string Actor) : IDealerCommand;
