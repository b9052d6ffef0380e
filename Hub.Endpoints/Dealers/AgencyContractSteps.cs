using Crm.Contracts.Dealers;
using Crm.Domain.Customers;
using Crm.Domain.Dealers;
using Hub.CrmStore.Dealers;
using Hub.Persistence;
using MassTransit;

namespace Hub.Endpoints.Dealers;

/// <summary>A step of an agency contract's workflow, kept and published alike whoever took it (a person's command, the term check).</summary>
internal static class AgencyContractSteps
{
    /// <summary>Keeps the step in the contract's approval history (<see cref="AgencyContractStep"/>) and publishes <see cref="AgencyContractStatusChanged"/>.</summary>
    public static Task Record(HubDbContext db, IPublishEndpoint publish, Guid commandId, AgencyContract contract, Customer dealer, string step, string? from,
        string actor, string? reason, long version, int sequence, DateTimeOffset at)
    {
        db.Add(new AgencyContractStep
        {
            ContractId = contract.Id, Sequence = sequence, Step = step, FromStatus = from, ToStatus = contract.Status.ToString(), Actor = actor.Trim(),
            Reason = reason, At = at.UtcDateTime, CommandId = commandId,
        });
        return publish.Publish(new AgencyContractStatusChanged(contract.Id, contract.Number, dealer.Id, dealer.Code, step, from, contract.Status.ToString(),
            actor.Trim(), reason, version, at));
    }
}
