using System.Management.Automation;
using System.Text.RegularExpressions;

namespace EksSecurity.PowerShell.Cmdlets;

/// <summary>Security group ids as EC2 writes them: sg- and 8 or 17 lowercase hexadecimal digits.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateSecurityGroupIdAttribute : ValidateEnumeratedArgumentsAttribute
{
    private static readonly Regex s_id = new("^sg-(?:[0-9a-f]{8}|[0-9a-f]{17})$", RegexOptions.CultureInvariant);

    protected override void ValidateElement(object element)
    {
        var id = (element is PSObject ps ? ps.BaseObject : element)?.ToString();
        if (id is null || !s_id.IsMatch(id))
            throw new ValidationMetadataException(
                $"'{id}' is not a security group id: expected sg- followed by 8 or 17 lowercase hexadecimal digits, such as sg-0123456789abcdef0.");
    }
}
