import 'mailsetup/elements';
