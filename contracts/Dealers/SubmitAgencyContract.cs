namespace Crm.Contracts.Dealers;

/// <summary>
/// Command: send a draft contract for approval (代理审核流程). <paramref name="Approvers"/>: the managers who may decide on it,
/// each asked with an <c>ApprovalRequested</c>.
/// </summary>
public sealed record SubmitAgencyContract(
    Guid CommandId,
    Guid ContractId,
    IReadOnlyList<string> Approvers,
    long? ExpectedVersion,
    string Actor) : IAgencyContractCommand;
