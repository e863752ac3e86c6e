@_exported import GUDNumerics
