namespace Crm.Domain.Orders;

/// <summary>One agreed payment of an order (003 §3.4.2 收款计划).</summary>
/// <param name="Sequence">1 for the first instalment, and so on.</param>
/// <param name="DueOn">When it falls due.</param>
/// <param name="Amount">Amount due, more than zero.</param>
public sealed record Instalment(int Sequence, DateOnly DueOn, decimal Amount)
{
    /// <summary>The day to remind the customer, <paramref name="daysBefore"/> days ahead of the due date.</summary>
    public DateOnly RemindOn(int daysBefore) => DueOn.AddDays(-daysBefore);
}

/// <summary>How an instalment stands once receipts are counted against it.</summary>
/// <param name="Instalment">The instalment.</param>
/// <param name="Paid">Part of it covered by receipts.</param>
/// <param name="Outstanding">Part of it still to pay.</param>
public sealed record InstalmentStanding(Instalment Instalment, decimal Paid, decimal Outstanding);

/// <summary>A reminder due for an instalment that is not paid in full.</summary>
/// <param name="Instalment">The instalment.</param>
/// <param name="RemindOn">The day the reminder is for.</param>
/// <param name="Outstanding">What is still to pay of it.</param>
/// <param name="Overdue">Whether the due date has already passed.</param>
public sealed record PaymentReminder(Instalment Instalment, DateOnly RemindOn, decimal Outstanding, bool Overdue);

/// <summary>
/// The arithmetic of a payment plan: receipts pay the earliest instalment first, as customers and
/// finance both expect; a reminder goes out N days before each due date that is not covered.
/// </summary>
public static class PaymentPlan
{
    /// <summary>Checks a plan for an order of <paramref name="total"/>: numbered 1.., dates increasing, amounts positive and adding up to the total.</summary>
    public static void Validate(IReadOnlyList<Instalment> instalments, decimal total)
    {
        var check = new RuleCheck()
            .Require(instalments is { Count: > 0 and <= 60 }, "instalments", "a plan needs 1 to 60 instalments");
        for (var i = 0; i < (instalments?.Count ?? 0); i++)
        {
            var instalment = instalments![i];
            check.Require(instalment.Sequence == i + 1, $"instalments[{i}].sequence", $"must be {i + 1}")
                .Require(instalment.Amount > 0 && instalment.Amount == decimal.Round(instalment.Amount, 2), $"instalments[{i}].amount", "must be more than zero, in whole cents")
                .Require(i == 0 || instalment.DueOn > instalments[i - 1].DueOn, $"instalments[{i}].dueOn", "must be after the previous instalment's");
        }
        check.Require(instalments is null || instalments.Sum(x => x.Amount) == total, "instalments", $"must add up to the order total {total}");
        check.ThrowIfBroken();
    }

    /// <summary>Counts <paramref name="received"/> against the instalments, earliest first.</summary>
    public static IReadOnlyList<InstalmentStanding> Allocate(IReadOnlyList<Instalment> instalments, decimal received)
    {
        var left = Math.Max(received, 0);
        var standings = new List<InstalmentStanding>(instalments.Count);
        foreach (var instalment in instalments.OrderBy(i => i.DueOn))
        {
            var paid = Math.Min(left, instalment.Amount);
            left -= paid;
            standings.Add(new InstalmentStanding(instalment, paid, instalment.Amount - paid));
        }
        return standings;
    }

    /// <summary>
    /// The reminders to send on <paramref name="today"/>: every instalment not covered by
    /// <paramref name="received"/> whose reminder day (<paramref name="daysBefore"/> ahead of its due
    /// date) has come. Overdue ones keep appearing until paid.
    /// </summary>
    public static IReadOnlyList<PaymentReminder> RemindersDue(IReadOnlyList<Instalment> instalments, decimal received, DateOnly today, int daysBefore)
    {
        new RuleCheck().Require(daysBefore is >= 0 and <= 365, "daysBefore", "must be from 0 to 365").ThrowIfBroken();
        return Allocate(instalments, received)
            .Where(s => s.Outstanding > 0 && s.Instalment.RemindOn(daysBefore) <= today)
            .Select(s => new PaymentReminder(s.Instalment, s.Instalment.RemindOn(daysBefore), s.Outstanding, today > s.Instalment.DueOn))
            .ToArray();
    }
}
