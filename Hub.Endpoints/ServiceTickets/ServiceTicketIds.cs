using System.Security.Cryptography;
using System.Text;

namespace Hub.Endpoints.ServiceTickets;

/// <summary>Ids the saga derives from a ticket and the step it asks for, so a saga step repeated after a crash asks the same thing again and the ticket takes it once.</summary>
internal static class ServiceTicketIds
{
    public static Guid Derived(Guid ticketId, string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"crm-service-ticket:{ticketId:N}:{name}"));
        return new Guid(hash.AsSpan(0, 16));
    }
}
