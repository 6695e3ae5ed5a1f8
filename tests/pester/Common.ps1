# Shared by the Pester files: the pwsh that runs the suite (dotnet tool or installed), for child processes.
function Get-PwshPath {
    $candidate = Join-Path $PSHOME $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })
    if (Test-Path $candidate) { return $candidate }
    (Get-Process -Id $PID).Path
}
