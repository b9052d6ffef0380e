using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Hub.Persistence.Tests.Model;

public sealed class TestRecord
{
    public Guid Id { get; set; }
    public string Key { get; set; } = "";
    public int Attempt { get; set; }
}

public sealed class CounterState : SagaStateMachineInstance, ISagaVersion
{
    public Guid CorrelationId { get; set; }
    public int Version { get; set; }
    public string CurrentState { get; set; } = "";
    public int Count { get; set; }
    public Guid? DeadlineTokenId { get; set; }
}

/// <summary>The test module: a side-effect table and the counter saga's table.</summary>
public sealed class TestStoreModel : IHubStoreModel
{
    public string Module => "test";

    public void Configure(ModelBuilder model)
    {
        model.Entity<TestRecord>(e =>
        {
            e.ToTable("test_record");
            e.HasKey(r => r.Id);
            e.HasIndex(r => r.Key);
        });
        model.Entity<CounterState>(e =>
        {
            e.ToTable("test_counter_saga");
            e.HasKey(s => s.CorrelationId);
            e.Property(s => s.CorrelationId).ValueGeneratedNever();
            e.Property(s => s.Version).IsConcurrencyToken();
            e.Property(s => s.CurrentState).HasMaxLength(32);
        });
    }

    public IReadOnlyList<HubSchemaMigration> Migrations { get; } =
    [
        new("test", 1, "create test_record", m =>
        {
            m.CreateTable("test_record", t => new
            {
                Id = t.Column<Guid>(nullable: false),
                Key = t.Column<string>(nullable: false),
                Attempt = t.Column<int>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_test_record", x => x.Id));
            m.CreateIndex("ix_test_record_key", "test_record", "Key");
        }),
        new("test", 2, "create test_counter_saga", m => m.CreateTable("test_counter_saga", t => new
        {
            CorrelationId = t.Column<Guid>(nullable: false),
            Version = t.Column<int>(nullable: false),
            CurrentState = t.Column<string>(maxLength: 32, nullable: false),
            Count = t.Column<int>(nullable: false),
            DeadlineTokenId = t.Column<Guid>(nullable: true),
        }, constraints: t => t.PrimaryKey("pk_test_counter_saga", x => x.CorrelationId))),
    ];
}
