using Crm.Domain;
using Crm.Domain.Customers;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hub.Endpoints.Customers;

/// <summary>Loads what <see cref="Contact.ReportTo"/> needs to check a reporting line: the manager and their colleagues.</summary>
internal static class ContactHierarchy
{
    public static async Task ReportTo(HubDbContext db, Contact contact, Guid? managerId, CancellationToken ct)
    {
        if (managerId is not { } id)
        {
            contact.ReportTo(null, []);
            return;
        }
        var manager = await db.Set<Contact>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct)
            ?? throw DomainRuleViolation.Of("reportsToId", "no such contact");
        var colleagues = await db.Set<Contact>().AsNoTracking().Where(c => c.CustomerId == contact.CustomerId && c.Id != contact.Id).ToListAsync(ct);
        contact.ReportTo(manager, colleagues);
    }
}
