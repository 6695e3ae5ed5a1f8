@{
    RootModule             = 'EksSecurity.dll'
    ModuleVersion          = '0.1.0'
    CompatiblePSEditions   = @('Core')
    GUID                   = '4f0f7d0e-6a43-4f0c-9d7a-2b8f3f1e9c51'
    Author                 = 'EksSecurity contributors'
    CompanyName            = 'EksSecurity contributors'
    Copyright              = '(c) EksSecurity contributors. Apache-2.0.'
    Description            = 'Audits Amazon EKS clusters against the EKS security best practices (IAM, pod security, network, data, logging, infrastructure) and writes the fixes. Works on live clusters, saved snapshots and manifest files.'
    PowerShellVersion      = '7.4'
    RequiredAssemblies     = @('EksSecurity.Abstractions.dll')
    FormatsToProcess       = @('EksSecurity.Format.ps1xml')
    CmdletsToExport        = @(
        'Get-EksSecurityExclusion'
        'Get-EksSecurityFinding'
        'Get-EksSecurityRule'
        'Get-EksSecurityScannerPolicy'
        'New-EksIrsaTrustPolicy'
        'New-EksMetadataDenyPolicy'
        'New-EksPodIdentityTrustPolicy'
        'New-EksSecurityExclusion'
        'New-EksSecurityGroupPolicy'
        'Save-EksClusterSnapshot'
        'Set-EksPodSecurityLabel'
        'Test-EksIrsa'
        'Test-EksPodIdentity'
        'Test-EksPodSecurity'
    )
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('AWS', 'EKS', 'Kubernetes', 'Security', 'Compliance', 'CIS', 'PSEdition_Core', 'Linux', 'Windows', 'MacOS')
            LicenseUri   = 'https://www.apache.org/licenses/LICENSE-2.0'
            ReleaseNotes = 'First release: snapshot evaluation, rule catalogue.'
        }
    }
}
