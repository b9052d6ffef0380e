namespace Crm.Contracts.Customers;

/// <summary>The descriptive data of a contact as a command carries it (003 §3.1.3 联系人信息).</summary>
/// <param name="Name">Full name.</param>
/// <param name="Phones">Phone numbers, at most five.</param>
/// <param name="Address">Postal address.</param>
/// <param name="Department">Department.</param>
/// <param name="Title">Job title.</param>
/// <param name="Interests">Interests and hobbies.</param>
/// <param name="Birthday">Birthday.</param>
/// <param name="Email">Email.</param>
/// <param name="DecisionRole">Unknown, DecisionMaker, Influencer, Evaluator, User or Gatekeeper.</param>
public sealed record ContactData(
    string Name,
    IReadOnlyList<ContactPhoneData>? Phones = null,
    string? Address = null,
    string? Department = null,
    string? Title = null,
    string? Interests = null,
    DateOnly? Birthday = null,
    string? Email = null,
    string? DecisionRole = null);
