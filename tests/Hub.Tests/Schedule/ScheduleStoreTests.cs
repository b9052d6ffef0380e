using Hub.Adapters.Schedule;
using Hub.Persistence;
using Hub.Persistence.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests.Schedule;

/// <summary>Appointments on both stores: the migration applies, and a schedule survives a restart and lists by date range.</summary>
public sealed class ScheduleStoreTests
{
    [Fact] public Task Appointments_survive_a_restart_and_list_by_range_on_sqlite() => Survives_a_restart(StoreKind.Sqlite);
    [PostgresFact] public Task Appointments_survive_a_restart_and_list_by_range_on_postgres() => Survives_a_restart(StoreKind.Postgres);

    private static async Task<ServiceProvider> Store(TestDatabase database)
    {
        var provider = new ServiceCollection().AddLogging().AddHubStore(database.Options).AddSingleton<IHubStoreModel, ScheduleStoreModel>().BuildServiceProvider();
        await provider.GetRequiredService<HubSchemaMigrator>().MigrateAsync();
        return provider;
    }

    private static async Task Survives_a_restart(StoreKind kind)
    {
        await using var database = await TestDatabase.Create(kind);
        var monday = new DateTimeOffset(2026, 12, 7, 1, 0, 0, TimeSpan.Zero);
        var visit = new Appointment
        {
            Id = Guid.NewGuid(), OwnerUserId = "sales-li", Kind = AppointmentKind.CustomerVisit, Title = "拜访华信科技", CustomerCode = "C1001",
            StartsAtTicks = monday.UtcTicks, EndsAtTicks = monday.AddHours(1).UtcTicks, Location = "北京", Version = 1, CreatedAtTicks = monday.AddDays(-1).UtcTicks,
        };
        var later = new Appointment
        {
            Id = Guid.NewGuid(), OwnerUserId = "sales-li", Kind = AppointmentKind.Call, Title = "Call back", StartsAtTicks = monday.AddDays(2).UtcTicks,
            EndsAtTicks = monday.AddDays(2).AddMinutes(15).UtcTicks, Version = 1, CreatedAtTicks = monday.UtcTicks,
        };
        await using (var first = await Store(database))
        {
            using var scope = first.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            db.AddRange(visit, later);
            await db.SaveChangesAsync();
        }

        await using var second = await Store(database);
        using var readScope = second.CreateScope();
        var reader = readScope.ServiceProvider.GetRequiredService<HubDbContext>();
        var (from, to) = (monday.AddHours(-1).UtcTicks, monday.AddDays(1).UtcTicks);
        var inRange = await reader.Set<Appointment>().AsNoTracking()
            .Where(a => a.OwnerUserId == "sales-li" && a.StartsAtTicks < to && a.EndsAtTicks > from).OrderBy(a => a.StartsAtTicks).ToListAsync();
        var stored = Assert.Single(inRange);
        Assert.Equal((visit.Id, AppointmentKind.CustomerVisit, "拜访华信科技", "C1001", "北京", visit.EndsAtTicks),
            (stored.Id, stored.Kind, stored.Title, stored.CustomerCode, stored.Location, stored.EndsAtTicks));
        Assert.Equal(2, await reader.Set<Appointment>().CountAsync());
    }
}
