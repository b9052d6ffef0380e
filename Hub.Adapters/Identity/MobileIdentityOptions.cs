using System.ComponentModel.DataAnnotations;

namespace Hub.Adapters.Identity;

/// <summary>Sign-in settings of the mobile API (section <c>Mobile</c>).</summary>
public sealed class MobileIdentityOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Mobile";

    /// <summary>Token settings (<c>Mobile:Jwt</c>).</summary>
    public MobileJwtOptions Jwt { get; set; } = new();

    /// <summary>Wrong passwords in a row before the account locks (003 §5.5.4: three).</summary>
    [Range(1, 100)]
    public int LockoutAfter { get; set; } = 3;

    /// <summary>How long a locked account stays locked.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Active devices one user may have bound at once (003 §5.5.4: one handset per user).</summary>
    [Range(1, 10)]
    public int MaxDevicesPerUser { get; set; } = 1;

    /// <summary>Users created or updated at start (<c>Mobile:Users:&lt;userId&gt;:*</c>); the embedded default seeds demo users here.</summary>
    public Dictionary<string, MobileUserSeed> Users { get; set; } = new();
}

/// <summary>Token settings (<c>Mobile:Jwt</c>).</summary>
public sealed class MobileJwtOptions
{
    /// <summary><c>iss</c> of issued tokens.</summary>
    [Required]
    public string Issuer { get; set; } = "crm-hub";

    /// <summary><c>aud</c> of issued tokens.</summary>
    [Required]
    public string Audience { get; set; } = "crm-mobile";

    /// <summary>HS256 key, base64, at least 32 bytes. Absent: a key is generated for this process and tokens do not survive a restart.</summary>
    public string? SigningKey { get; set; }

    /// <summary>How long a token is valid.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(8);
}

/// <summary>A user to create at start.</summary>
public sealed class MobileUserSeed
{
    public string? DisplayName { get; set; }
    public string Role { get; set; } = MobileRoles.Salesperson;
    public string Office { get; set; } = "";
    public string Region { get; set; } = "";
    public string Phone { get; set; } = "";
    public string Password { get; set; } = "";
}
