using Crm.Contracts.Customers;

namespace Hub.Endpoints.Customers;

/// <summary>How every customer and contact command ends (<see cref="CommandOutcome{TAccepted,TRejected}"/>).</summary>
internal static class CustomerCommands
{
    /// <summary>Accepted or rejected with the customers' answers.</summary>
    public static readonly CommandOutcome<CustomerCommandAccepted, CustomerCommandRejected> Outcome = new(
        (command, entity, version, repeated) => new CustomerCommandAccepted(command, entity, version, repeated),
        (command, reason, title, errors) => new CustomerCommandRejected(command, reason, title, errors));
}
