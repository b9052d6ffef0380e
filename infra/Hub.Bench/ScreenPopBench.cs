using System.Diagnostics;
using Crm.Domain.Customers;
using Hub.Adapters.Customers;
using Hub.CrmStore;
using Hub.Persistence;
using Hub.Persistence.Encryption;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Hub.Bench;

/// <summary>Figures of one screen-pop run.</summary>
public sealed record ScreenPopResult(string Store, int Customers, int Contacts, double SeedSeconds, int Lookups,
    double CallerP50Ms, double CallerP99Ms, double NameP50Ms, double NameP99Ms);

/// <summary>
/// The call centre's screen pop at scale: seeds customers (and a contact with a mobile for every fifth) by bulk
/// insert into a store migrated as the hub migrates it, then times the lookups the REST API runs
/// (<see cref="CustomerQueries.ScreenPopByCallerAsync"/>, <see cref="CustomerQueries.ScreenPopByNameAsync"/>), one
/// DbContext per lookup as one request has. The whole company's scope: no data-scope filter.
/// </summary>
public static class ScreenPopBench
{
    private static readonly string[] Cities = ["北京", "上海", "广州", "深圳", "杭州", "南京", "成都", "武汉", "西安", "天津", "重庆", "苏州", "青岛", "厦门", "长沙", "沈阳"];
    private static readonly string[] Words = ["华信", "远景", "同创", "恒通", "金桥", "东方", "新纪元", "博远", "瑞丰", "中科", "天成", "宏达", "盛世", "联合", "海润", "佳禾",
        "永盛", "启明", "蓝海", "星河", "众合", "鼎新", "长江", "明德", "安泰", "百川", "立信", "凯达", "信诚", "富源", "光大", "嘉和"];
    private static readonly string[] Trades = ["科技", "贸易", "电子", "通信", "物流", "建设", "医药", "食品", "能源", "传媒", "网络", "机械"];

    public static async Task<ScreenPopResult> Run(string store, HubStoreOptions options, int customers, int lookups)
    {
        var services = new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.Warning)).AddHubStore(options).AddCrmStore();
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<HubSchemaMigrator>().MigrateAsync();

        var contacts = customers / 5;
        Console.WriteLine($"[screen-pop] {store}: seeding {customers} customers and {contacts} contacts");
        var seed = Stopwatch.StartNew();
        // Rows as the hub writes them: phones sealed, phone keys as blind indexes (the lookups hash the caller number alike).
        var keys = provider.GetRequiredService<ColumnKeyRing>();
        if (options.Provider == HubStoreOptions.Postgres)
            await SeedPostgres(options.PostgresConnectionString!, customers, keys);
        else
            await SeedSqlite(Path.GetFullPath(options.SqlitePath), customers, keys);
        seed.Stop();
        Console.WriteLine($"[screen-pop] {store}: seeded in {seed.Elapsed.TotalSeconds:0.0} s");

        var random = new Random(7);
        // Callers: a customer's own line as the switch delivers it, a contact's mobile, or a number nobody has.
        string Caller(int i) => (i % 4) switch
        {
            0 => "+86 " + CustomerPhone(random.Next(customers)),
            1 => "0086" + ContactMobile(random.Next(contacts)),
            2 => CustomerPhone(random.Next(customers)).Replace("-", " "),
            _ => "0755-" + random.Next(1_000_000, 9_999_999),
        };
        // Names typed so far: the first two to five characters of a stored name.
        string Typed(int _) => Name(random.Next(customers))[..random.Next(2, 6)];

        async Task<double[]> Time(Func<HubDbContext, int, Task> lookup, int count)
        {
            var times = new double[count];
            for (var i = 0; i < count; i++)
            {
                await using var scope = provider.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
                var sw = Stopwatch.StartNew();
                await lookup(db, i);
                times[i] = sw.Elapsed.TotalMilliseconds;
            }
            Array.Sort(times);
            return times;
        }

        // A call-centre agent's lookups, with a manager's field permissions (every field of a found customer answered).
        var agent = new Hub.Adapters.Identity.MobileCaller("bench-agent", Hub.Adapters.Identity.MobileRoles.Manager, "", "", "bench");
        Task ByCaller(HubDbContext db, int i) => CustomerQueries.ScreenPopByCallerAsync(db, CustomerQueries.All(db), Caller(i), agent, CancellationToken.None);
        Task ByName(HubDbContext db, int i) => CustomerQueries.ScreenPopByNameAsync(CustomerQueries.All(db), Typed(i), agent, CancellationToken.None);
        await Time(ByCaller, 200);   // warm-up: connections, EF's compiled queries, the store's caches
        await Time(ByName, 200);
        var caller = await Time(ByCaller, lookups);
        var name = await Time(ByName, lookups);
        return new ScreenPopResult(store, customers, contacts, seed.Elapsed.TotalSeconds, lookups,
            Percentile(caller, 0.50), Percentile(caller, 0.99), Percentile(name, 0.50), Percentile(name, 0.99));
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static string Name(int i) =>
        Cities[i % Cities.Length] + Words[i / Cities.Length % Words.Length] + Words[i / (Cities.Length * Words.Length) % Words.Length]
        + Trades[i / (Cities.Length * Words.Length * Words.Length) % Trades.Length] + (i / 100_000 % 2 == 0 ? "有限公司" : "股份有限公司")
        + (i >= Cities.Length * Words.Length * Words.Length * Trades.Length ? $"第{i}分公司" : "");

    /// <summary>Landlines for even customers, mobiles for odd ones; unique per customer.</summary>
    private static string CustomerPhone(int i) => i % 2 == 0 ? $"010-6{i:D7}" : $"139{i:D8}";

    private static string ContactMobile(int j) => $"137{j:D8}";

    private static Guid CustomerId(int i) => new(i, 0, 0, [0, 0, 0, 0, 0, 0, 0, 1]);

    private static Guid ContactId(int j) => new(j, 0, 0, [0, 0, 0, 0, 0, 0, 0, 2]);

    private static readonly DateTimeOffset Registered = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static async Task SeedSqlite(string path, int customers, ColumnKeyRing keys)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await Execute(connection, "PRAGMA synchronous = OFF; PRAGMA cache_size = -200000;");
        await using (var tx = (SqliteTransaction)await connection.BeginTransactionAsync())
        {
            var insert = connection.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = """
                INSERT INTO crm_customer ("Id","Code","Name","Kind","Region","Phone","OwnerSalespersonId","ValueGrade","CreditGrade","NameKey","PhoneKey","RegisteredAt","Version")
                VALUES ($id,$code,$name,'Direct',$region,$phone,$owner,'Ungraded','Unrated',$nameKey,$phoneKey,$at,1)
                """;
            var p = new[] { "$id", "$code", "$name", "$region", "$phone", "$owner", "$nameKey", "$phoneKey", "$at" }
                .Select(n => insert.Parameters.Add(new SqliteParameter(n, null))).ToArray();
            insert.Prepare();
            for (var i = 0; i < customers; i++)
            {
                var name = Name(i);
                var phone = CustomerPhone(i);
                p[0].Value = CustomerId(i).ToString().ToUpperInvariant();
                p[1].Value = $"C{i:D7}";
                p[2].Value = name;
                p[3].Value = Cities[i % Cities.Length];
                p[4].Value = keys.Encrypt(phone);
                p[5].Value = $"sales-{i % 500}";
                p[6].Value = CustomerName.Normalise(name);
                p[7].Value = keys.BlindIndex(PhoneNumber.Normalise(phone));
                p[8].Value = Registered.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFFzzz");
                await insert.ExecuteNonQueryAsync();
            }

            var contact = connection.CreateCommand();
            contact.Transaction = tx;
            contact.CommandText = """
                INSERT INTO crm_contact ("Id","CustomerId","Name","DecisionRole","Version") VALUES ($id,$customer,$name,'Unknown',1);
                INSERT INTO crm_contact_phone ("ContactId","Kind","Number","PhoneKey") VALUES ($id,'Mobile',$number,$key);
                """;
            var c = new[] { "$id", "$customer", "$name", "$number", "$key" }.Select(n => contact.Parameters.Add(new SqliteParameter(n, null))).ToArray();
            for (var j = 0; j < customers / 5; j++)
            {
                c[0].Value = ContactId(j).ToString().ToUpperInvariant();
                c[1].Value = CustomerId(j * 5).ToString().ToUpperInvariant();
                c[2].Value = $"联系人{j}";
                c[3].Value = keys.Encrypt(ContactMobile(j));
                c[4].Value = keys.BlindIndex(PhoneNumber.Normalise(ContactMobile(j)));
                await contact.ExecuteNonQueryAsync();
            }
            await tx.CommitAsync();
        }
        await Execute(connection, "ANALYZE;");
    }

    private static async Task SeedPostgres(string connectionString, int customers, ColumnKeyRing keys)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var copy = await connection.BeginBinaryImportAsync(
            """COPY crm_customer ("Id","Code","Name","Kind","Region","Phone","OwnerSalespersonId","ValueGrade","CreditGrade","NameKey","PhoneKey","RegisteredAt","Version") FROM STDIN (FORMAT BINARY)"""))
        {
            for (var i = 0; i < customers; i++)
            {
                var name = Name(i);
                var phone = CustomerPhone(i);
                await copy.StartRowAsync();
                await copy.WriteAsync(CustomerId(i), NpgsqlDbType.Uuid);
                await copy.WriteAsync($"C{i:D7}", NpgsqlDbType.Varchar);
                await copy.WriteAsync(name, NpgsqlDbType.Varchar);
                await copy.WriteAsync("Direct", NpgsqlDbType.Varchar);
                await copy.WriteAsync(Cities[i % Cities.Length], NpgsqlDbType.Varchar);
                await copy.WriteAsync(keys.Encrypt(phone), NpgsqlDbType.Text);
                await copy.WriteAsync($"sales-{i % 500}", NpgsqlDbType.Varchar);
                await copy.WriteAsync("Ungraded", NpgsqlDbType.Varchar);
                await copy.WriteAsync("Unrated", NpgsqlDbType.Varchar);
                await copy.WriteAsync(CustomerName.Normalise(name), NpgsqlDbType.Varchar);
                await copy.WriteAsync(keys.BlindIndex(PhoneNumber.Normalise(phone)), NpgsqlDbType.Varchar);
                await copy.WriteAsync(Registered, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(1L, NpgsqlDbType.Bigint);
            }
            await copy.CompleteAsync();
        }
        await using (var copy = await connection.BeginBinaryImportAsync(
            """COPY crm_contact ("Id","CustomerId","Name","DecisionRole","Version") FROM STDIN (FORMAT BINARY)"""))
        {
            for (var j = 0; j < customers / 5; j++)
                await copy.WriteRowAsync(CancellationToken.None, ContactId(j), CustomerId(j * 5), $"联系人{j}", "Unknown", 1L);
            await copy.CompleteAsync();
        }
        await using (var copy = await connection.BeginBinaryImportAsync(
            """COPY crm_contact_phone ("ContactId","Kind","Number","PhoneKey") FROM STDIN (FORMAT BINARY)"""))
        {
            for (var j = 0; j < customers / 5; j++)
                await copy.WriteRowAsync(CancellationToken.None, ContactId(j), "Mobile", keys.Encrypt(ContactMobile(j)), keys.BlindIndex(PhoneNumber.Normalise(ContactMobile(j))));
            await copy.CompleteAsync();
        }
        await using var analyze = new NpgsqlCommand("ANALYZE crm_customer; ANALYZE crm_contact; ANALYZE crm_contact_phone;", connection);
        await analyze.ExecuteNonQueryAsync();
    }

    private static async Task Execute(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
