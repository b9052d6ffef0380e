using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.EntityFrameworkCore.Migrations.Operations.Builders;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Hub.Persistence;

/// <summary>
/// A hand-written, provider-neutral schema migration. <paramref name="Up"/> describes operations on a
/// <see cref="MigrationBuilder"/>; SQL is generated for the active provider (SQLite or PostgreSQL) when applied.
/// Applied migrations are recorded in <c>hub_schema_versions</c> as (module, version, name, applied_at).
/// </summary>
/// <param name="Module">The owning module (see <see cref="IHubStoreModel.Module"/>).</param>
/// <param name="Version">Positive, unique within the module; applied in ascending order.</param>
/// <param name="Name">A short description, recorded with the version.</param>
/// <param name="Up">Builds the operations, e.g. <c>m =&gt; m.CreateTable(...)</c>.</param>
public sealed record HubSchemaMigration(string Module, int Version, string Name, Action<MigrationBuilder> Up)
{
    /// <summary>
    /// A data step run right after <see cref="Up"/>, in the same transaction and under the same lock (e.g. sealing the
    /// existing values of a column that is now encrypted); null when the migration changes only the schema.
    /// </summary>
    public Func<HubDbContext, CancellationToken, Task>? Data { get; init; }
}

/// <summary>Helpers for writing one migration that serves both SQLite and PostgreSQL.</summary>
public static class HubMigrationBuilderExtensions
{
    /// <summary>Marks an integer key column as database-generated on both providers (SQLite AUTOINCREMENT, PostgreSQL identity).</summary>
    public static OperationBuilder<AddColumnOperation> AutoIncrement(this OperationBuilder<AddColumnOperation> column) =>
        column.Annotation("Sqlite:Autoincrement", true)
            .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);
}
