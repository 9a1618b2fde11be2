// The Azure portal's first-party clients and the Microsoft Graph scopes pre-consented to each: every portal
// extension gets its own Graph token (appid claim = its client) through the portal's DelegationToken endpoint,
// so one portal tab carries several tokens with different scopes.
// Source: dirkjanm/ROADtools roadtx/roadtools/roadtx/firstpartyscopes.json (commit fc344df, 2026-01-29),
// "scopes" → "00000003-0000-0000-c000-000000000000" (Microsoft Graph) of each app id below.
export const CLIENTS = {
  // Microsoft_AAD_RegisteredApps: the App registrations blades; the only one that can write apps and consent.
  registeredApps: {
    appId: "18ed3507-a475-4ccb-b669-d66bc9f2a36e",
    extensionName: "Microsoft_AAD_RegisteredApps",
    scopes: "email openid profile AdministrativeUnit.Read.All AdministrativeUnit.ReadWrite.All AgentCardManifest.Read.All " +
      "AgentCardManifest.ReadWrite.All AgentCollection.Read.All AgentCollection.Read.Global AgentCollection.Read.Quarantined " +
      "AgentCollection.ReadWrite.All AgentCollection.ReadWrite.Global AgentCollection.ReadWrite.Quarantined " +
      "AgentIdentity.EnableDisable.All AgentIdentity.Read.All AgentIdentity.ReadWrite.All " +
      "AgentIdentityBlueprintPrincipal.EnableDisable.All AgentIdentityBlueprintPrincipal.Read.All " +
      "AgentIdentityBlueprintPrincipal.ReadWrite.All AgentInstance.Read.All AgentInstance.ReadWrite.All Application.Read.All " +
      "Application.ReadWrite.All AppRoleAssignment.ReadWrite.All AuditLog.Read.All CrossTenantInformation.ReadBasic.All " +
      "CustomSecAttributeAssignment.ReadWrite.All CustomSecAttributeDefinition.ReadWrite.All " +
      "DelegatedPermissionGrant.ReadWrite.All Domain.Read.All IdentityProvider.ReadWrite.All Organization.ReadWrite.All " +
      "Policy.Read.All Policy.ReadWrite.ApplicationConfiguration Policy.ReadWrite.MobilityManagement User.Read User.Read.All",
  },
  // ADIbizaUX, the client of Microsoft_AAD_IAM (the Entra blades and their React views): reads and writes much of
  // the directory, but not Application.ReadWrite.All, AppRoleAssignment.ReadWrite.All nor
  // DelegatedPermissionGrant.ReadWrite.All.
  iam: {
    appId: "74658136-14ec-4630-ad9b-26e160ff0fc6",
    extensionName: "Microsoft_AAD_IAM",
    scopes: "email openid profile AccessReview.ReadWrite.All AgentCollection.Read.All AgentCollection.Read.Global " +
      "AgentCollection.Read.Quarantined AgentInstance.Read.All Application.Read.All AuditLog.Read.All ChangeManagement.Read.All " +
      "ConsentRequest.Create ConsentRequest.Read ConsentRequest.ReadApprove.All ConsentRequest.ReadWrite.All " +
      "CustomSecAttributeAssignment.Read.All CustomSecAttributeAuditLogs.Read.All Device-OrganizationalUnit.ReadWrite.All " +
      "Directory.AccessAsUser.All Directory.Read.All Directory.ReadWrite.All Directory.Write.Restricted " +
      "DirectoryRecommendations.Read.All DirectoryRecommendations.ReadWrite.All Domain.ReadWrite.All " +
      "EntitlementManagement.Read.All Group.ReadWrite.All HealthMonitoringAlert.ReadWrite.All " +
      "HealthMonitoringAlertConfig.ReadWrite.All IdentityProvider.ReadWrite.All IdentityRiskEvent.ReadWrite.All " +
      "IdentityRiskyServicePrincipal.ReadWrite.All IdentityRiskyUser.ReadWrite.All IdentityUserFlow.Read.All " +
      "LifecycleWorkflows.ReadWrite.All OnPremDirectorySynchronization.Read.All OrganizationalUnit.ReadWrite.All " +
      "Policy.Read.All Policy.Read.IdentityProtection Policy.ReadWrite.AuthenticationFlows Policy.ReadWrite.AuthenticationMethod " +
      "Policy.ReadWrite.Authorization Policy.ReadWrite.ConditionalAccess Policy.ReadWrite.ExternalIdentities " +
      "Policy.ReadWrite.IdentityProtection Policy.ReadWrite.MobilityManagement Reports.Read.All " +
      "RoleManagement.ReadWrite.Directory SecurityEvents.ReadWrite.All TrustFrameworkKeySet.Read.All User.Export.All " +
      "User.ReadWrite.All UserAuthenticationMethod.ReadWrite.All User-OrganizationalUnit.ReadWrite.All",
  },
  // "Azure Portal", the shell's own client (sign-ins show it for portal.azure.com and entra.microsoft.com).
  shell: {
    appId: "c44b4083-3bb0-49c1-b47d-974e53cbdf3c",
    extensionName: null,
    scopes: "email openid profile Organization.Read.All Policy.ReadWrite.ApplicationConfiguration User.Read",
  },
};

export const clientByName = (name) =>
  CLIENTS[name] ?? Object.values(CLIENTS).find((c) => c.extensionName === name || c.appId === name);
