/** Maps the current route to its screen. */
import { sectionOf, type Route } from '../../app/router';
import { useOpenSession } from '../../app/session';
import { AuditPage } from '../audit/AuditPage';
import { GroupsPage } from '../access/GroupsPage';
import { RolesPage } from '../access/RolesPage';
import { mayOpen } from './sections';
import { ImportWizard } from '../imports/ImportWizard';
import { PeopleSearch } from '../people/PeopleSearch';
import { PersonEditor } from '../people/PersonEditor';
import { PersonPage } from '../people/PersonPage';
import { SettingsPage } from '../settings/SettingsPage';
import { TasksPage } from '../tasks/TasksPage';
import { UsersPage } from '../users/UsersPage';
import { ConflictsPage } from '../sync/ConflictsPage';
import { DevicesPage } from '../sync/DevicesPage';
import { BackupsPage } from '../backup/BackupsPage';
import { DocumentViewer } from '../vault/DocumentViewer';
import { RetentionPage } from '../erasure/RetentionPage';
import { TreasuryPage } from '../treasury/TreasuryPage';
import { PapersPage } from '../papers/PapersPage';
import { InboxPage } from '../inbox/InboxPage';
import { VolunteersPage } from '../volunteers/VolunteersPage';
import { CirclesPage } from '../volunteers/CirclesPage';
import { VisitsPage } from '../volunteers/VisitsPage';
import { VolunteeringNav } from '../volunteers/VolunteeringNav';
import { MessagesPage } from '../messages/MessagesPage';
import { AgendaPage } from '../agenda/AgendaPage';
import { EngagementPage } from '../agenda/EngagementPage';

export function Screen({ route }: { route: Route }) {
  const session = useOpenSession();
  // A section the role does not grant shows the people search instead (the core refuses its channels anyway).
  if (!mayOpen(sectionOf(route), session.permissions)) return <PeopleSearch />;
  switch (route.name) {
    case 'people':
      return <PeopleSearch />;
    case 'personNew':
      return <PersonEditor key="new" id={null} prefill={route.prefill} />;
    case 'personEdit':
      return <PersonEditor key={route.id} id={route.id} />;
    case 'person':
      return <PersonPage key={route.id} id={route.id} openedDocument={route.openedDocument} />;
    case 'document':
      return <DocumentViewer key={route.id} id={route.id} personId={route.personId} />;
    case 'tasks':
      return <TasksPage />;
    case 'import':
      return <ImportWizard />;
    case 'users':
      return <UsersPage />;
    case 'roles':
      return <RolesPage />;
    case 'groups':
      return <GroupsPage />;
    case 'audit':
      return <AuditPage />;
    case 'conflicts':
      return <ConflictsPage />;
    case 'devices':
      return <DevicesPage />;
    case 'backups':
      return <BackupsPage />;
    case 'settings':
      return <SettingsPage />;
    case 'retention':
      return <RetentionPage />;
    case 'treasury':
      return <TreasuryPage tab={route.tab} />;
    case 'papers':
      return <PapersPage />;
    case 'inbox':
      return <InboxPage />;
    case 'volunteers':
      return (
        <>
          <VolunteeringNav current="volunteers" />
          <VolunteersPage />
        </>
      );
    case 'circles':
      return (
        <>
          <VolunteeringNav current="circles" />
          <CirclesPage />
        </>
      );
    case 'visits':
      return (
        <>
          <VolunteeringNav current="visits" />
          <VisitsPage />
        </>
      );
    case 'messages':
      return <MessagesPage />;
    case 'agenda':
      return <AgendaPage />;
    case 'engagement':
      return (
        <>
          <VolunteeringNav current="engagement" />
          <EngagementPage />
        </>
      );
  }
}
