import { Navigate, Route, Routes } from 'react-router';
import { Header } from './components/Header.tsx';
import { Loading, RequireUser } from './components/Guards.tsx';
import { homePath } from './navigation.ts';
import { ClassPage } from './pages/ClassPage.tsx';
import { Classes } from './pages/Classes.tsx';
import { DevMail } from './pages/DevMail.tsx';
import { District } from './pages/District.tsx';
import { IntegrationPage } from './pages/Integration.tsx';
import { InvitationPage } from './pages/Invitation.tsx';
import { LicensePage } from './pages/License.tsx';
import { Licenses } from './pages/Licenses.tsx';
import { Operator } from './pages/Operator.tsx';
import { OperatorAudit } from './pages/OperatorAudit.tsx';
import { OperatorUser } from './pages/OperatorUser.tsx';
import { OperatorUsers } from './pages/OperatorUsers.tsx';
import { Profile } from './pages/Profile.tsx';
import { ResetPasswordComplete, ResetPasswordRequest } from './pages/ResetPassword.tsx';
import { NotFound, RosteringHelp } from './pages/RosteringHelp.tsx';
import { RosteringImport } from './pages/RosteringImport.tsx';
import { SignIn } from './pages/SignIn.tsx';
import { SignUp } from './pages/SignUp.tsx';
import { Student } from './pages/Student.tsx';
import { VerifyEmail } from './pages/VerifyEmail.tsx';
import { useSession } from './session.tsx';
import type { User } from './types.ts';


const isOperator = (u: User) => u.role === 'operator' || u.abilities.operator;
const seesDistricts = (u: User) => isOperator(u) || u.abilities.districtAdminOf.length > 0;

function Home() {
  const { session } = useSession();
  if (!session) return <Loading />;
  return <Navigate to={homePath(session.user)} replace />;
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/" element={<Home />} />
      <Route path="/signin" element={<SignIn />} />
      <Route path="/signup" element={<SignUp />} />
      <Route path="/verify-email" element={<VerifyEmail />} />
      <Route path="/reset-password" element={<ResetPasswordRequest />} />
      <Route path="/reset-password/complete" element={<ResetPasswordComplete />} />
      <Route path="/invitations/:token" element={<InvitationPage />} />
      <Route path="/classes" element={<RequireUser><Classes /></RequireUser>} />
      <Route path="/classes/import" element={<RequireUser><RosteringImport /></RequireUser>} />
      <Route path="/classes/:id" element={<RequireUser><ClassPage /></RequireUser>} />
      <Route path="/help/rostering" element={<RosteringHelp />} />
      <Route path="/student" element={<RequireUser><Student /></RequireUser>} />
      <Route path="/licenses" element={<RequireUser><Licenses /></RequireUser>} />
      <Route path="/licenses/:id" element={<RequireUser><LicensePage /></RequireUser>} />
      <Route path="/operator" element={<RequireUser allow={isOperator}><Operator /></RequireUser>} />
      <Route path="/operator/users" element={<RequireUser allow={isOperator}><OperatorUsers /></RequireUser>} />
      <Route path="/operator/users/:id" element={<RequireUser allow={isOperator}><OperatorUser /></RequireUser>} />
      <Route path="/operator/audit" element={<RequireUser allow={isOperator}><OperatorAudit /></RequireUser>} />
      <Route path="/integrations/:id" element={<RequireUser allow={seesDistricts}><IntegrationPage /></RequireUser>} />
      <Route path="/district" element={<RequireUser allow={seesDistricts}><District /></RequireUser>} />
      <Route path="/profile" element={<RequireUser><Profile /></RequireUser>} />
      <Route path="/dev/mail" element={<DevMail />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}

export function App() {
  const { loadError } = useSession();
  return (
    <>
      <Header />
      <main id="main" tabIndex={-1}>
        {loadError ? (
          <section className="page narrow">
            <h1>Rollcall isn't answering</h1>
            <p role="alert">{loadError}</p>
            <button type="button" className="button" onClick={() => window.location.reload()}>
              Try again
            </button>
          </section>
        ) : (
          <AppRoutes />
        )}
      </main>
    </>
  );
}
