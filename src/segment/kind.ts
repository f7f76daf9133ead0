/**
 * Document kind from the title and the opening (preamble and recitals), per the review criteria's table.
 * A kind other than `other` needs both a matching title and a healthcare-practice context, so that a
 * generic "Services Agreement" or a franchise agreement in a data room is not reviewed as an MSA.
 */
import type { Clause, DocumentKind, Party } from '../model.js';

/** Titles that name a management arrangement on their own. */
const MANAGEMENT =
  /\b(management services?|administrative services?|(?:business|dental|medical|practice|clinic|administrative|management)\s+support(?:\s+services?)?|practice management|management and administrative services|management and support services|business services)\s+agreement\b/i;
/** Titles that are a management agreement only between a manager and a professional entity. */
const GENERIC_SERVICES = /\b(management|support(?: services)?|services?)\s+agreement\b/i;
const ACQUISITION =
  /\b((asset|stock|equity|membership interests?|units?|shares?|interests?|securities) (purchase|acquisition)|purchase and sale|acquisition|(agreement and plan of )?merger)\s+agreement\b|\bagreement and plan of merger\b|\bcontribution\b[\w\s,&-]{0,40}\bagreement\b/i;
const EMPLOYMENT =
  /\b(employment|physician employment|dentist employment|professional services?|associate dentist|physician services|dental services|independent contractor)\s+agreement\b/i;

const HEALTHCARE =
  /\b(dental|dentist(ry)?|dentists|medical|medicine|physicians?|clinical|patients?|professional corporation|health ?care|orthodont\w*|chiropract\w*|hygienists?|practice of (dentistry|medicine)|licensed)\b/gi;

function healthcareScore(text: string): number {
  return (text.match(HEALTHCARE) ?? []).length;
}

export function classifyKind(title: string | null, clauses: Clause[], parties: Party[] = []): DocumentKind {
  const opening = clauses
    .filter((c) => c.kind === 'title' || c.kind === 'preamble' || c.kind === 'recital')
    .map((c) => c.text)
    .join('\n');
  const head = (
    opening ||
    clauses
      .slice(0, 4)
      .map((c) => c.text)
      .join('\n')
  ).slice(0, 6000);
  const titleText = title ?? head.slice(0, 300);
  const body = clauses
    .map((c) => c.text)
    .join('\n')
    .slice(0, 40_000);
  // A professional party (P.C., P.A., PLLC, a physician or dentist) or a few healthcare words suffice; the
  // title still has to name one of the three kinds.
  const healthcare =
    healthcareScore(head) >= 1 || healthcareScore(body) >= 3 || parties.some((p) => p.side === 'licensed');
  if (!healthcare) return 'other';
  if (ACQUISITION.test(titleText)) return 'acquisition-agreement';
  if (EMPLOYMENT.test(titleText)) {
    // "Professional Services Agreement" is employment-like only with an individual clinician or a seller.
    return 'employment-agreement';
  }
  const excluded = /\b(franchise|license|licence|consulting|outsourcing|joint venture|affiliate)\b/i.test(
    titleText,
  );
  // A manager and a professional entity: the "Service Agreement (manager ↔ professional corporation)" case.
  const managerAndPractice =
    parties.some((p) => p.side === 'lay') &&
    parties.some((p) => p.side === 'licensed' && (p.role === 'practice' || p.role === 'employer'));
  if (MANAGEMENT.test(titleText) && !excluded) return 'management-agreement';
  if (GENERIC_SERVICES.test(titleText) && !excluded && managerAndPractice) return 'management-agreement';
  // No telling title: look at what the opening says the agreement does, between the right parties.
  if (
    managerAndPractice &&
    /\bmanagement (services|fee)\b|\bmanager shall provide\b|\b(dso|mso) shall provide\b/i.test(head)
  ) {
    return 'management-agreement';
  }
  if (
    /\b(purchase|acquire|sell)\b.{0,80}\b(assets|stock|shares|membership interests?|equity)\b.{0,80}\bpractice\b/i.test(
      head,
    )
  ) {
    return 'acquisition-agreement';
  }
  if (/\b(employ|employment of)\b.{0,60}\b(physician|dentist|doctor)\b/i.test(head))
    return 'employment-agreement';
  return 'other';
}
